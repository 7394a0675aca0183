/**
 * Parser for Kong's `kong.log.serialize()` object: what the built-in http-log, file-log and tcp-log
 * plugins emit, one object per request (samples in test/fixtures/kong/). `parseKongObject` takes the
 * decoded object (the http input's POST /kong), `parseKong` one JSON line (file-log).
 *
 * The key is read from `request.headers` (Kong lower-cases names; repeated headers are arrays):
 * the first of `keyHeaders`, else a Bearer token. Kong redacts `authorization` to `REDACTED` by
 * default, so with stock Kong the Bearer path only works when the operator lifts that redaction.
 * When no header holds a key but Kong authenticated the request, the credential id
 * (`authenticated_entity.id`, one per key) or else `consumer.id` stands in as the raw key, so keys
 * hidden by `hide_credentials` are still profiled; such a key_id differs from the one the same key
 * would get from its header, and it wins over a key in the query string (which the sanitizer
 * would otherwise use). A top-level `key_id` (32 hex, e.g. set with `custom_fields_by_lua`)
 * is taken as computed at the gateway. No header other than user-agent and the request id reaches
 * the record. The service and route (names, else ids) and the consumer id go to `gateway`: the
 * event's context, the consumer as a keyed hash.
 */
import { createHash } from 'node:crypto';
import { GATEWAY_NAME_PATTERN } from '../../contracts/core.js';
import { bearerToken, keyFromHeaderValue } from './key-from-headers.js';
import { headerValue, queryFromKong } from './kong-fields.js';
import type { ParseOptions, ParseResult } from './raw-record.js';
import { keyIdOrNull, requestIdOrNull } from './ids.js';

type Fields = Record<string, unknown>;

const GATEWAY_NAME = new RegExp(GATEWAY_NAME_PATTERN);

function obj(v: unknown): Fields | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Fields) : null;
}

function num(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function parseKong(line: string, opts: ParseOptions): ParseResult {
  if (line.length === 0) return 'empty';
  if (line.length > opts.maxLineBytes) return 'too_long';
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return 'not_json';
  }
  return parseKongObject(o, opts);
}

export function parseKongObject(o: unknown, opts: ParseOptions): ParseResult {
  const f = obj(o);
  if (f === null) return 'not_json';
  const request = obj(f.request);
  if (request === null) return 'bad_field';
  const startedAt = num(f.started_at);
  if (startedAt <= 0) return 'bad_time';
  const method = str(request.method);
  const { path, query } = splitTarget(request);
  if (method === '' || path.charCodeAt(0) !== 47 /* / */) return 'bad_field';
  const headers = obj(request.headers);
  const userAgent = headerValue(headers, 'user-agent');
  // Records have no line length: their free-text parts stand in for it.
  if (path.length + query.length + userAgent.length > opts.maxLineBytes) return 'too_long';
  const response = obj(f.response);
  const latencies = obj(f.latencies);
  const keyId = str(f.key_id);
  const ts = Math.round(startedAt);
  const ip = str(f.client_ip);
  return {
    requestId: requestIdOf(request, response) ?? derivedId(f, request, response, latencies),
    ts,
    ip,
    method,
    path,
    query,
    status: Math.trunc(num(response?.status)),
    requestBytes: Math.trunc(num(request.size)),
    responseBytes: Math.trunc(num(response?.size)),
    latencyMs: Math.round(num(latencies?.request)),
    userAgent,
    apiKey: rawKey(f, headers, opts),
    keyId: keyIdOrNull(keyId),
    gateway: gatewayOf(f),
  };
}

/** A Kong entity's name when the contract takes it, else its id ('' when neither). */
function nameOf(entity: Fields | null): string {
  const name = str(entity?.name);
  return GATEWAY_NAME.test(name) ? name : str(entity?.id);
}

/** Kong's service and route (names, else ids) and the consumer's id; the sanitizer checks and hashes them. */
function gatewayOf(f: Fields): { service: string; routeName: string; consumer: string } {
  return { service: nameOf(obj(f.service)), routeName: nameOf(obj(f.route)), consumer: str(obj(f.consumer)?.id) };
}

/** `request.uri` is nginx's `$request_uri` (path and raw query); `request.url` the full URL. */
function splitTarget(request: Fields): { path: string; query: string } {
  let target = str(request.uri);
  if (target === '') {
    const url = str(request.url);
    const scheme = url.indexOf('://');
    const slash = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
    target = slash < 0 ? '' : url.slice(slash);
  }
  const q = target.indexOf('?');
  if (q >= 0) return { path: target.slice(0, q), query: target.slice(q + 1) };
  // No raw query string: rebuild it from Kong's decoded table (only happens for hand-made objects).
  return { path: target, query: queryFromKong(request.querystring) };
}

/**
 * Only ids Kong made: a request header (`X-Kong-Request-ID`, the correlation-id plugin's
 * `Kong-Request-ID`) may come from the client, and a client that sends one id on every request
 * would have all but the first dropped as repeats by the detector.
 */
function requestIdOf(request: Fields, response: Fields | null): string | null {
  const candidates = [str(request.id), headerValue(obj(response?.headers), 'x-kong-request-id')];
  for (const c of candidates) {
    const id = requestIdOrNull(c);
    if (id !== null) return id;
  }
  return null;
}

/**
 * Kong before 3.5 logs no request id. Records have no line for the sanitizer to hash, so the id is
 * derived here from what identifies the request, the same way every time it is delivered (Kong
 * retries a batch that got no 2xx, and the detector drops ids it has seen). No key material.
 */
function derivedId(f: Fields, request: Fields, response: Fields | null, latencies: Fields | null): string {
  const tries = Array.isArray(f.tries) ? obj(f.tries[0]) : null;
  const parts = [
    'kong', num(f.started_at), str(f.client_ip), str(request.method), str(request.uri), str(request.url),
    num(request.size), num(response?.status), num(response?.size), num(latencies?.request),
    num(tries?.balancer_start), str(tries?.ip),
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

function rawKey(f: Fields, headers: Fields | null, opts: ParseOptions): string | null {
  for (const name of opts.keyHeaders) {
    const key = keyFromHeaderValue(headerValue(headers, name), opts.bearer);
    if (key !== null) return key;
  }
  if (opts.bearer) {
    // Stock Kong logs `authorization: REDACTED`, which is no Bearer token and falls through.
    const token = bearerToken(headerValue(headers, 'authorization'));
    if (token !== null) return token;
  }
  const credential = str(obj(f.authenticated_entity)?.id);
  if (credential !== '') return credential;
  const consumer = str(obj(f.consumer)?.id);
  return consumer === '' ? null : consumer;
}
