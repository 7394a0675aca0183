/**
 * Parser for our NGINX log_format `lowslow` (gateway-plugins/nginx/lowslow.conf): one JSON object
 * per line, every field a string. Empty fields and `-` are absent values.
 */
import { keyIdOrNull, requestIdOrNull } from './ids.js';
import type { ParseOptions, ParseResult } from './raw-record.js';

/** The fields of our log_format; any may be missing or of another type on a hostile line. */
interface Fields {
  time?: unknown;
  request_time?: unknown;
  request_id?: unknown;
  remote_addr?: unknown;
  method?: unknown;
  uri?: unknown;
  args?: unknown;
  status?: unknown;
  request_length?: unknown;
  bytes_sent?: unknown;
  user_agent?: unknown;
  api_key?: unknown;
  key_id?: unknown;
}

// Values, not (object, name) pairs: each field is read by its own property access, which stays
// monomorphic across lines of one log_format, where a shared `o[k]` lookup does not.
function str(v: unknown): string {
  if (typeof v === 'string') return v === '-' ? '' : v;
  if (typeof v === 'number') return String(v);
  return '';
}

function num(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : 0;
  if (typeof v !== 'string' || v === '' || v === '-') return 0;
  // Upstream-style lists ("0.010, 0.020") count their first value.
  const n = Number.parseFloat(v);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

/**
 * Fast paths for what NGINX writes, same results as the general ones: `v` × 1000 exactly for
 * `seconds[.fraction]` with at most 12 and 3 digits ($msec, $request_time), the value of up to 15
 * plain digits ($status, byte counts); -1 for anything else, which then takes num().
 */
function thousandths(v: unknown): number {
  if (typeof v !== 'string') return -1;
  const n = v.length;
  let whole = 0;
  let i = 0;
  for (; i < n; i++) {
    const d = v.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) break;
    whole = whole * 10 + d;
  }
  if (i === 0 || i > 12) return -1;
  if (i === n) return whole * 1000;
  if (v.charCodeAt(i) !== 46 /* . */ || n - i - 1 > 3 || n - i - 1 < 1) return -1;
  let frac = 0;
  for (let j = i + 1; j < n; j++) {
    const d = v.charCodeAt(j) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    frac = frac * 10 + d;
  }
  const scale = n - i - 1 === 1 ? 100 : n - i - 1 === 2 ? 10 : 1;
  return whole * 1000 + frac * scale;
}

function count(v: unknown): number {
  if (typeof v !== 'string' || v.length === 0 || v.length > 15) return Math.trunc(num(v));
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const d = v.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return Math.trunc(num(v));
    n = n * 10 + d;
  }
  return n;
}


export function parseNginxJson(line: string, opts: ParseOptions): ParseResult {
  if (line.length === 0) return 'empty';
  if (line.length > opts.maxLineBytes) return 'too_long';
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return 'not_json';
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return 'not_json';
  const f = o as Fields;
  let endMs = thousandths(f.time);
  if (endMs < 0) {
    const endSeconds = num(f.time);
    if (endSeconds <= 0) return 'bad_time';
    endMs = Math.round(endSeconds * 1000);
  } else if (endMs === 0) return 'bad_time';
  let latencyMs = thousandths(f.request_time);
  if (latencyMs < 0) latencyMs = Math.round(num(f.request_time) * 1000);
  const method = str(f.method);
  const path = str(f.uri);
  if (method === '' || path === '' || path.charCodeAt(0) !== 47 /* / */) return 'bad_field';
  const requestId = str(f.request_id);
  const apiKey = str(f.api_key);
  const keyId = str(f.key_id);
  return {
    requestId: requestIdOrNull(requestId),
    ts: endMs - latencyMs,
    ip: str(f.remote_addr),
    method,
    path,
    query: str(f.args),
    status: count(f.status),
    requestBytes: count(f.request_length),
    responseBytes: count(f.bytes_sent),
    latencyMs,
    userAgent: str(f.user_agent),
    apiKey: apiKey === '' ? null : apiKey,
    keyId: keyIdOrNull(keyId),
  };
}
