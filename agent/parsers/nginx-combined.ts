/**
 * Parser for NGINX's predefined `combined` format (Apache's is the same):
 *
 *   $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent
 *   "$http_referer" "$http_user_agent"
 *
 * To give lowslow the API key, append the key header as one more quoted field:
 *
 *   log_format combined_key '$remote_addr - $remote_user [$time_local] "$request" '
 *                           '$status $body_bytes_sent "$http_referer" '
 *                           '"$http_user_agent" "$http_x_api_key"';
 *
 * The key field must be the line's last: other quoted fields may come between the user agent and
 * it (the docker image's `main` format adds `"$http_x_forwarded_for"`, which the client chooses and
 * so must never stand in for the key), and `main` itself, whose last field is an address list,
 * gives no key (extra-key-field.ts). With `main` and no key field, a client's own X-Forwarded-For
 * value would be taken for a key: append the key field.
 *
 * What the format cannot say: no request id (null: the sanitizer derives one from the line), no
 * duration (latencyMs 0, ts = `$time_local`, which NGINX takes when the request ends), no request
 * size (0). Also accepted: a leading virtual host (`example.com 10.0.0.1 - - [...]`) and an
 * X-Forwarded-For list in place of the address, bare or quoted (`10.0.0.2, 10.0.0.1 - - [...]`);
 * the client is the first address of the list. The common log format (no referer, no user agent)
 * parses too.
 *
 * A user agent whose closing quote is missing (a truncated line) runs to the end of the line: the
 * request itself is intact, so it is kept (elastic/examples apache_logs has one such line).
 */
import { firstAddress } from './address-list.js';
import { parseClfTime } from './clf-time.js';
import { keyFromLastField } from './extra-key-field.js';
import type { ParseOptions, ParseResult } from './raw-record.js';
import { parseRequestLine } from './request-line.js';
import { BARE, OPEN, QUOTED, scanTokens, SLOTS, tokenCount, tokenKind, tokenText } from './text-fields.js';

// Room for a long X-Forwarded-For list before the time and a few extra fields after it.
const MAX_TOKENS = 64;
const bounds = new Int32Array(MAX_TOKENS * SLOTS);

const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

/** The client address from the tokens before the time: `[vhost] address[, address…] ident user`. */
function clientIp(line: string, timeToken: number): string {
  if (timeToken === 0) return '';
  const first = tokenText(line, bounds, 0);
  if (tokenKind(bounds, 0) !== BARE || first.endsWith(',') || timeToken < 4) return firstAddress(first);
  // `vhost address ident user`, unless the second token is already the ident `-`.
  const second = tokenText(line, bounds, 1);
  return firstAddress(second === '-' ? first : second);
}

export function parseNginxCombined(input: string, opts: ParseOptions): ParseResult {
  if (input.length > opts.maxLineBytes) return 'too_long';
  let end = input.length;
  while (end > 0 && (input.charCodeAt(end - 1) === 10 || input.charCodeAt(end - 1) === 13)) end--;
  const line = end === input.length ? input : input.slice(0, end);
  const n = scanTokens(line, 0, bounds);
  if (n === 0) return 'empty';

  // The time is the first bare token opening with `[`; its zone token closes with `]`.
  let t = 0;
  while (t < n && !(tokenKind(bounds, t) === BARE && line.charCodeAt(bounds[t * SLOTS] ?? 0) === OPEN_BRACKET)) t++;
  if (t + 1 >= n) return 'bad_field';
  const timeStart = (bounds[t * SLOTS] ?? 0) + 1;
  const timeEnd = (bounds[(t + 1) * SLOTS + 1] ?? 0) - 1;
  if (line.charCodeAt(timeEnd) !== CLOSE_BRACKET) return 'bad_time';
  const ts = parseClfTime(line, timeStart, timeEnd);
  if (Number.isNaN(ts)) return 'bad_time';

  const req = t + 2;
  if (req + 2 >= n || tokenKind(bounds, req) !== QUOTED) return 'bad_field';
  const status = tokenCount(line, bounds, req + 1);
  const bytes = tokenCount(line, bounds, req + 2);
  if (status < 0 || bytes < 0) return 'bad_field';
  const request = parseRequestLine(tokenText(line, bounds, req));
  if (request === null) return 'bad_field';

  const ua = req + 4;
  const uaKind = ua < n ? tokenKind(bounds, ua) : BARE;
  const userAgent = uaKind === QUOTED || uaKind === OPEN ? tokenText(line, bounds, ua) : '';
  return {
    requestId: null,
    ts,
    ip: clientIp(line, t),
    method: request.method,
    path: request.path,
    query: request.query,
    status,
    requestBytes: 0,
    responseBytes: bytes,
    latencyMs: 0,
    userAgent: userAgent === '-' ? '' : userAgent,
    // A full token table hides the line's last field.
    apiKey: n < MAX_TOKENS ? keyFromLastField(line, bounds, ua + 1, n, opts.bearer) : null,
    keyId: null,
  };
}
