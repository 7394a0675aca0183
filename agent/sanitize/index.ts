/**
 * The sanitizer turns a RawRecord into an AccessEvent v1: the raw key becomes key_id, the path a
 * route template with object ids, query values shapes. Authorization, cookies, bodies and raw
 * query values never make it into the event, whatever the policy says.
 */
import { createHmac } from 'node:crypto';
import type { AccessEvent, GatewayContext } from '../../contracts/index.js';
import { GATEWAY_NAME_PATTERN } from '../../contracts/core.js';
import { keyIdOrNull } from '../parsers/ids.js';
import type { RawRecord } from '../parsers/index.js';
import { EventIds } from './event-id.js';
import { cleanIp, truncateIp } from './ip.js';
import { consumerIdOf, jwtSubject } from './consumer.js';
import { HashCache, KeyIdCache } from './key-id.js';
import { shapeQuery } from './params.js';
import { templateRoute } from './route.js';

export interface SanitizePolicy {
  /** HMAC secret for key_id and object hashes. */
  secret: string;
  gateway: string;
  host: string;
  /** Query parameters that may carry an API key. @default ['api_key','apikey','key','access_token','token'] */
  keyParams: string[];
  /** Parameters whose short raw values may be published. @default [] */
  rawParams: string[];
  /** @default false */
  truncateIp: boolean;
  /**
   * Take the consumer behind a Bearer JWT from its unverified `sub` claim (context.consumer_id).
   * Only where the gateway verified the token before logging. @default false
   */
  jwtConsumer?: boolean;
}

/** 1 to 16 capital letters (a scan: this runs for every line). */
function isMethod(s: string): boolean {
  if (s.length === 0 || s.length > 16) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}
const GATEWAY_NAME = new RegExp(GATEWAY_NAME_PATTERN);
/** A longer request id is not used: with `.` and a 32-character hash it would pass AccessEvent v1's 128. */
const MAX_REQUEST_ID = 64;

export class Sanitizer {
  private readonly keys: KeyIdCache;
  private readonly keyParams: ReadonlySet<string>;
  private readonly rawParams: ReadonlySet<string>;
  private readonly hashObject: (segment: string) => string;
  private readonly ids: EventIds;
  private readonly consumers: HashCache;
  /** JWT → consumer_id ('' when the token is no JWT or has no subject). */
  private readonly jwtConsumers: HashCache | null;

  /**
   * The FNV-1a hash of the last event's key_id when the key cache gave it (its partition, without
   * hashing the key_id again), else -1.
   */
  keyHash = -1;

  constructor(private readonly policy: SanitizePolicy) {
    this.keys = new KeyIdCache(policy.secret);
    this.ids = new EventIds(policy.host);
    this.keyParams = new Set(policy.keyParams.map((p) => p.toLowerCase()));
    this.rawParams = new Set(policy.rawParams);
    const secret = policy.secret;
    const objects = new HashCache((segment) => createHmac('sha256', secret).update(`object:${segment}`).digest('hex').slice(0, 12));
    this.hashObject = (segment) => objects.get(segment);
    this.consumers = new HashCache((consumer) => consumerIdOf(secret, consumer));
    this.jwtConsumers = policy.jwtConsumer === true ? new HashCache((token) => {
      const subject = jwtSubject(token);
      return subject === null ? '' : consumerIdOf(secret, subject);
    }) : null;
  }

  /**
   * `line` (or, when given, the line's position: `stream`, e.g. `inode:generation`, and byte
   * `offset`) is used only to derive an id when the gateway logged none (event-id.ts).
   */
  toEvent(raw: RawRecord, line: string, stream?: string, offset = 0): AccessEvent {
    const { params, keyFromQuery } = shapeQuery(raw.query, this.keyParams, this.rawParams);
    // A key_id from the gateway is taken only in its own shape; ours from the cache always is.
    let keyId = raw.keyId === null ? null : keyIdOrNull(raw.keyId);
    const rawKey = raw.apiKey ?? keyFromQuery;
    this.keyHash = -1;
    if (keyId === null && rawKey !== null) {
      const cached = this.keys.get(rawKey);
      keyId = cached.id;
      this.keyHash = cached.hash;
    }
    const { route, objects } = templateRoute(raw.path, this.hashObject);
    const ip = cleanIp(raw.ip);
    const event: AccessEvent = {
      v: 1,
      id: this.idOf(raw, line, stream, offset),
      ts: raw.ts,
      source: { gateway: this.policy.gateway, host: this.policy.host },
      key_id: keyId,
      client: {
        ip: this.policy.truncateIp ? truncateIp(ip) : ip,
        ua: raw.userAgent.length > 256 ? raw.userAgent.slice(0, 256) : raw.userAgent,
      },
      request: {
        method: isMethod(raw.method) ? raw.method : 'OTHER',
        route,
        objects,
        params,
        bytes: raw.requestBytes,
      },
      response: { status: raw.status > 999 ? 0 : raw.status, bytes: raw.responseBytes, latency_ms: raw.latencyMs },
    };
    const context = this.contextOf(raw, rawKey);
    if (context !== null) event.context = context;
    return event;
  }

  private idOf(raw: RawRecord, line: string, stream: string | undefined, offset: number): string {
    const derived = (): string => (stream === undefined ? this.ids.fromText(line) : this.ids.fromPosition(stream, offset));
    const r = raw.requestId;
    if (r === null || r.length === 0 || r.length > MAX_REQUEST_ID) return derived();
    return raw.requestIdFromClient === true ? `${r}.${derived()}` : r;
  }

  /** context for the event, or null when the gateway told nothing (every field is checked here). */
  private contextOf(raw: RawRecord, rawKey: string | null): GatewayContext | null {
    const g = raw.gateway;
    let consumerId = '';
    if (g !== undefined && g.consumer !== '') consumerId = this.consumers.get(g.consumer);
    else if (this.jwtConsumers !== null && rawKey !== null) consumerId = this.jwtConsumers.get(rawKey);
    const service = g !== undefined && GATEWAY_NAME.test(g.service) ? g.service : '';
    const routeName = g !== undefined && GATEWAY_NAME.test(g.routeName) ? g.routeName : '';
    if (consumerId === '' && service === '' && routeName === '') return null;
    // Keys in this order, which writeEvent follows.
    const c: GatewayContext = {};
    if (consumerId !== '') c.consumer_id = consumerId;
    if (service !== '') c.service = service;
    if (routeName !== '') c.route_name = routeName;
    return c;
  }
}

export { computeKeyId, KeyIdCache } from './key-id.js';
