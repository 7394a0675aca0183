/**
 * Parser for Envoy JSON access logs (`json_format` or `typed_json_format`). Recommended format,
 * the keys of Istio's JSON encoding plus the key header:
 *
 *   log_format:
 *     json_format:
 *       start_time: "%START_TIME%"
 *       method: "%REQ(:METHOD)%"
 *       path: "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%"
 *       protocol: "%PROTOCOL%"
 *       response_code: "%RESPONSE_CODE%"
 *       response_flags: "%RESPONSE_FLAGS%"
 *       bytes_received: "%BYTES_RECEIVED%"
 *       bytes_sent: "%BYTES_SENT%"
 *       duration: "%DURATION%"
 *       x_forwarded_for: "%REQ(X-FORWARDED-FOR)%"
 *       user_agent: "%REQ(USER-AGENT)%"
 *       request_id: "%REQ(X-REQUEST-ID)%"
 *       authority: "%REQ(:AUTHORITY)%"
 *       upstream_host: "%UPSTREAM_HOST%"
 *       downstream_remote_address: "%DOWNSTREAM_REMOTE_ADDRESS%"
 *       route_name: "%ROUTE_NAME%"
 *       upstream_cluster: "%UPSTREAM_CLUSTER%"
 *       api_key: "%REQ(X-API-KEY)%"
 *
 * Only start_time, method and path are required. route_name and upstream_cluster become the
 * event's context.route_name and context.service (Envoy Gateway and Istio name both after the
 * route). Instead of api_key, a field named like one of `keyHeaders` (`x-api-key` or `x_api_key`)
 * works too, and with `bearer` on an `authorization: "%REQ(AUTHORIZATION)%"` field gives its
 * bearer token (nothing else of it is kept); better not to log Authorization at all when a key
 * header exists.
 *
 * Accepted alternatives: Envoy Gateway's default keys (`x-envoy-origin-path`, `user-agent`,
 * `x-forwarded-for`, `x-request-id`, `:authority`), `:method`, `:path`, `x-envoy-original-path`,
 * `forwarded_for`, `@timestamp`; numbers as numbers or strings, `-`, `""` and null as absent;
 * START_TIME as ISO 8601 or epoch seconds (`%START_TIME(%s.%3f)%`). The client is the first
 * X-Forwarded-For address, else the downstream peer without its port.
 *
 * A Docker / Kubernetes wrapper (`{"log": "...\n", "stream": ...}`, or `{"message": "ACCESS
 * [...] ..."}` from Ambassador) is unwrapped: a JSON inner line is parsed here, a text one by
 * envoy-text (Envoy's default format).
 */
import { firstAddress, stripPort } from './address-list.js';
import { parseEnvoyText } from './envoy-text.js';
import { parseIsoTime } from './iso-time.js';
import { bearerToken, keyFromHeaderValue } from './key-from-headers.js';
import type { ParseOptions, ParseResult } from './raw-record.js';
import { keyIdOrNull, requestIdOrNull } from './ids.js';
import { splitTarget } from './request-line.js';

type Fields = Record<string, unknown>;

const TIME = ['start_time', '@timestamp', 'timestamp'];
const METHOD = ['method', ':method', 'request_method'];
const PATH = ['path', 'x-envoy-original-path', 'x_envoy_original_path', 'x-envoy-origin-path', ':path'];
const STATUS = ['response_code', 'status', 'status_code'];
const FORWARDED_FOR = ['x_forwarded_for', 'x-forwarded-for', 'forwarded_for'];
const PEER = ['downstream_remote_address', 'downstream_direct_remote_address'];
const USER_AGENT = ['user_agent', 'user-agent'];
const REQUEST_ID = ['request_id', 'x-request-id', 'x_request_id'];
const AUTHORIZATION = ['authorization', 'Authorization'];
const API_KEY = ['api_key'];
const KEY_ID_FIELD = ['key_id'];
const BYTES_RECEIVED = ['bytes_received'];
const BYTES_SENT = ['bytes_sent'];
const DURATION = ['duration'];
const ROUTE_NAME = ['route_name'];
const UPSTREAM_CLUSTER = ['upstream_cluster'];

// Epoch values below this are seconds, above it milliseconds (1e11 s is the year 5138).
const SECONDS_LIMIT = 1e11;
const MAX_TS = Date.UTC(9999, 11, 31);

/** The first present value among `keys` as a string; '' when all are absent (-, "", null). */
function str(o: Fields, keys: readonly string[]): string {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'string') {
      if (v !== '' && v !== '-') return v;
    } else if (typeof v === 'number' && Number.isFinite(v)) {
      return String(v);
    }
  }
  return '';
}

/** The first present value among `keys` as a non-negative count; 0 when absent or not a count. */
function num(o: Fields, keys: readonly string[]): number {
  const v = str(o, keys);
  if (v === '') return 0;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

/** START_TIME as ISO 8601 or epoch seconds / milliseconds; NaN when it is neither. */
function startTime(o: Fields): number {
  const v = str(o, TIME);
  if (v === '') return Number.NaN;
  const c = v.charCodeAt(0);
  if (v.length <= 20 && c >= 48 && c <= 57 && v.indexOf('-') < 0) {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) return Number.NaN;
    const ms = Math.round(n < SECONDS_LIMIT ? n * 1000 : n);
    return ms <= MAX_TS ? ms : Number.NaN;
  }
  return parseIsoTime(v, 0, v.length);
}

function apiKey(o: Fields, opts: ParseOptions): string | null {
  const direct = keyFromHeaderValue(str(o, API_KEY), opts.bearer);
  if (direct !== null) return direct;
  for (const header of opts.keyHeaders) {
    const v = str(o, [header, header.replaceAll('-', '_')]);
    if (v !== '') {
      const key = keyFromHeaderValue(v, opts.bearer);
      if (key !== null) return key;
    }
  }
  if (!opts.bearer) return null;
  return bearerToken(str(o, AUTHORIZATION).trim());
}

function fromFields(o: Fields, opts: ParseOptions): ParseResult {
  const ts = startTime(o);
  if (Number.isNaN(ts)) return 'bad_time';
  const method = str(o, METHOD);
  const target = splitTarget(str(o, PATH));
  if (method === '' || target === null) return 'bad_field';
  const forwarded = firstAddress(str(o, FORWARDED_FOR));
  const keyId = str(o, KEY_ID_FIELD);
  const service = str(o, UPSTREAM_CLUSTER);
  const routeName = str(o, ROUTE_NAME);
  const requestId = requestIdOrNull(str(o, REQUEST_ID));
  return {
    requestId,
    requestIdFromClient: requestId !== null,
    ts,
    ip: forwarded !== '' ? forwarded : stripPort(str(o, PEER)),
    method,
    path: target.path,
    query: target.query,
    status: Math.trunc(num(o, STATUS)),
    requestBytes: Math.trunc(num(o, BYTES_RECEIVED)),
    responseBytes: Math.trunc(num(o, BYTES_SENT)),
    latencyMs: Math.round(num(o, DURATION)),
    userAgent: str(o, USER_AGENT),
    apiKey: apiKey(o, opts),
    keyId: keyIdOrNull(keyId),
    ...(service !== '' || routeName !== '' ? { gateway: { service, routeName, consumer: '' } } : {}),
  };
}

/** The inner line of a Docker / Kubernetes wrapper, or null when `o` is an access-log object. */
function wrapped(o: Fields): string | null {
  if (str(o, METHOD) !== '') return null;
  const inner = typeof o.log === 'string' ? o.log : typeof o.message === 'string' ? o.message : null;
  if (inner === null) return null;
  let end = inner.length;
  while (end > 0 && (inner.charCodeAt(end - 1) === 10 || inner.charCodeAt(end - 1) === 13)) end--;
  return inner.slice(0, end);
}

const isBlank = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

function parseObject(line: string): Fields | null {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return null;
  }
  return o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as Fields) : null;
}

export function parseEnvoyJson(line: string, opts: ParseOptions): ParseResult {
  if (line.length > opts.maxLineBytes) return 'too_long';
  let i = 0;
  while (i < line.length && isBlank(line.charCodeAt(i))) i++;
  if (i === line.length) return 'empty';
  // Text lines are not worth a JSON.parse attempt.
  if (line.charCodeAt(i) !== 123 /* { */) return 'not_json';
  const o = parseObject(line);
  if (o === null) return 'not_json';
  const inner = wrapped(o);
  if (inner === null) return fromFields(o, opts);
  if (inner.trim() === '') return 'empty';
  // One level of unwrapping only: a wrapper inside a wrapper is not an access log.
  if (inner.trimStart().startsWith('{')) {
    const io = parseObject(inner);
    return io === null ? 'not_json' : fromFields(io, opts);
  }
  return parseEnvoyText(inner, opts);
}
