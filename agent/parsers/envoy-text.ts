/**
 * Parser for Envoy's default access-log format:
 *
 *   [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE%
 *   %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%
 *   "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%"
 *   "%UPSTREAM_HOST%"
 *
 * Also accepted: Istio's default (`%RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS%
 * "%UPSTREAM_TRANSPORT_FAILURE_REASON%"` after the flags, cluster and addresses after the upstream
 * host), Envoy Gateway's text format (no upstream service time), the `ACCESS ` prefix Ambassador
 * writes, and any trailing fields.
 *
 * The default format logs no API key: operators append the key header as the last field,
 * `... "%UPSTREAM_HOST%" "%REQ(X-API-KEY)%"`, and that field is the raw key (extra-key-field.ts).
 * With `"%REQ(AUTHORIZATION)%"` instead, a bearer token counts when `bearer` is on.
 *
 * Envoy writes header values unescaped (envoyproxy/envoy#4191): a client's user agent, Host or
 * X-Forwarded-For holding `" "` reads as more fields, and everything after it moves. So the key is
 * taken from the end of the line, where the client cannot move it, and the request id only when
 * the line has no more quoted fields than the format (Envoy's five, and the key field): a line
 * with more, or whose fields a backslash before a quote ran together, gets its id from the agent.
 *
 * ts is START_TIME (request start), latencyMs DURATION, the client the first X-Forwarded-For entry
 * (for Istio lines without one, the downstream peer), the request id X-REQUEST-ID when it looks
 * like one. TCP-proxy lines (`"- - -" 0 UF,URX ...`) carry no request: 'bad_field'.
 */
import { firstAddress, stripPort } from './address-list.js';
import { keyFromFieldValue, keyFromLastField } from './extra-key-field.js';
import { parseIsoTime } from './iso-time.js';
import type { ParseOptions, ParseResult } from './raw-record.js';
import { requestIdOrNull } from './ids.js';
import { parseRequestLine } from './request-line.js';
import { BARE, scanTokens, SLOTS, tokenCount, tokenKind, tokenText } from './text-fields.js';

const MAX_TOKENS = 64;
const bounds = new Int32Array(MAX_TOKENS * SLOTS);

const ACCESS_PREFIX = 'ACCESS ';
/** Quoted fields from X-Forwarded-For on: Envoy's five and the key field. */
const MAX_QUOTED_FIELDS = 6;

/** Index of the first quoted (or open) token at or after `from`, else `n`. */
function nextQuoted(from: number, n: number): number {
  let t = from;
  while (t < n && tokenKind(bounds, t) === BARE) t++;
  return t;
}

/** Quoted (or open) tokens from `from` to `n - 1`. */
function quotedCount(from: number, n: number): number {
  let c = 0;
  for (let t = from; t < n; t++) if (tokenKind(bounds, t) !== BARE) c++;
  return c;
}

/**
 * The key from the line's last field. When the fields have moved (`moved`), its token may be
 * another one, or beyond a full token table: it is then read from the end of the line.
 */
function lastFieldKey(line: string, quoted: number, n: number, moved: boolean, bearer: boolean): string | null {
  if (!moved) return keyFromLastField(line, bounds, quoted + 5, n, bearer, false);
  const end = line.length - 1;
  if (end < 1 || line.charCodeAt(end) !== 34 /* " */) return null;
  let open = end - 1;
  while (open > 0 && !(line.charCodeAt(open) === 34 && (line.charCodeAt(open - 1) === 32 || line.charCodeAt(open - 1) === 9))) open--;
  return open > 0 ? keyFromFieldValue(line.slice(open + 1, end), bearer) : null;
}

/** Text of a quoted field that may be missing, `-` meaning absent. */
function field(line: string, t: number, n: number): string {
  if (t >= n || tokenKind(bounds, t) === BARE) return '';
  const v = tokenText(line, bounds, t, false);
  return v === '-' ? '' : v;
}

export function parseEnvoyText(input: string, opts: ParseOptions): ParseResult {
  if (input.length > opts.maxLineBytes) return 'too_long';
  let end = input.length;
  while (end > 0 && (input.charCodeAt(end - 1) === 10 || input.charCodeAt(end - 1) === 13)) end--;
  const line = end === input.length ? input : input.slice(0, end);
  // Envoy escapes nothing: a backslash is a character like any other.
  const n = scanTokens(line, line.startsWith(ACCESS_PREFIX) ? ACCESS_PREFIX.length : 0, bounds, false);
  if (n === 0) return 'empty';

  const timeStart = bounds[0] ?? 0;
  const timeEnd = bounds[1] ?? 0;
  if (tokenKind(bounds, 0) !== BARE || line.charCodeAt(timeStart) !== 91 /* [ */) return 'bad_field';
  if (line.charCodeAt(timeEnd - 1) !== 93 /* ] */) return 'bad_time';
  const ts = parseIsoTime(line, timeStart + 1, timeEnd - 1);
  if (Number.isNaN(ts)) return 'bad_time';

  if (n < 4 || tokenKind(bounds, 1) === BARE) return 'bad_field';
  const request = parseRequestLine(tokenText(line, bounds, 1, false));
  const status = tokenCount(line, bounds, 2);
  if (request === null || status < 0) return 'bad_field';

  // Bare counters after the flags (token 3) up to the first quoted field: 4 in Envoy's default,
  // 3 in Envoy Gateway's; Istio puts two detail tokens and a quoted failure reason first.
  let counters = 4;
  let quoted = nextQuoted(counters, n);
  let istio = false;
  if (quoted - counters === 2 && quoted < n) {
    istio = true;
    counters = quoted + 1;
    quoted = nextQuoted(counters, n);
  }
  const count = quoted - counters;
  if (count !== 3 && count !== 4) return 'bad_field';
  const requestBytes = tokenCount(line, bounds, counters);
  const responseBytes = tokenCount(line, bounds, counters + 1);
  const latencyMs = tokenCount(line, bounds, counters + 2);
  if (requestBytes < 0 || responseBytes < 0 || latencyMs < 0) return 'bad_field';

  let ip = firstAddress(field(line, quoted, n));
  // Istio: cluster, upstream local, downstream local, downstream remote follow the upstream host.
  const peer = quoted + 8;
  if (ip === '' && istio && peer < n && tokenKind(bounds, peer) === BARE) {
    const remote = tokenText(line, bounds, peer, false);
    ip = remote === '-' ? '' : stripPort(remote);
  }
  // The fields have moved when the line holds more quoted fields than the format (a client's
  // `" "`), more tokens than the table, or `\"` before a blank: Envoy escapes nothing, so that
  // quote ended a field, while the scanner (written for NGINX's and Apache's escapes) runs on.
  const moved = n >= MAX_TOKENS || quotedCount(quoted, n) > MAX_QUOTED_FIELDS || line.indexOf('\\" ') >= 0 || line.indexOf('\\"\t') >= 0;
  const requestId = moved ? null : requestIdOrNull(field(line, quoted + 2, n));
  return {
    requestId,
    requestIdFromClient: requestId !== null,
    ts,
    ip,
    method: request.method,
    path: request.path,
    query: request.query,
    status,
    requestBytes,
    responseBytes,
    latencyMs,
    userAgent: field(line, quoted + 1, n),
    apiKey: lastFieldKey(line, quoted, n, moved, opts.bearer),
    keyId: null,
  };
}
