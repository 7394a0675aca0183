/**
 * Maps one Envoy HTTPAccessLogEntry to a RawRecord: request start from `start_time`, latency from
 * `time_to_last_downstream_tx_byte` (else `duration`), the client from `downstream_remote_address`
 * (Envoy has already applied its trusted X-Forwarded-For hops there) or else the first
 * `forwarded_for` address. The key comes from `request_headers`, which holds only the headers
 * Envoy is told to log (`additional_request_headers_to_log`): the first of the key headers, else a
 * Bearer token. No other header is copied.
 */
import { createHash } from 'node:crypto';
import { bearerToken, keyFromHeaderValue } from '../../parsers/key-from-headers.js';
import type { ParseOptions, ParseResult } from '../../parsers/raw-record.js';
import { requestIdOrNull } from '../../parsers/ids.js';
import type { AlsHttpEntry, Duration } from './messages.js';

const METHOD = /^[A-Z]{1,16}$/;

/** Entries written at the end of a request; periodic and start-of-request entries would count it twice. */
export function isRequestEnd(e: AlsHttpEntry): boolean {
  const type = e.common_properties?.access_log_type ?? 'NotSet';
  return type === 'NotSet' || type === 'DownstreamEnd';
}

export function mapHttpEntry(e: AlsHttpEntry, opts: ParseOptions): ParseResult {
  const common = e.common_properties;
  const request = e.request;
  if (common === null || request === null) return 'bad_field';
  const start = common.start_time;
  if (start === null || !(start.seconds > 0)) return 'bad_time';
  const ts = Math.round(start.seconds * 1000 + start.nanos / 1e6);
  // original_path is what the client asked for when a route rewrote the path.
  const target = request.original_path !== '' ? request.original_path : request.path;
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const query = q < 0 ? '' : target.slice(q + 1);
  if (path.charCodeAt(0) !== 47 /* / */) return 'bad_field';
  if (path.length + query.length + request.user_agent.length > opts.maxLineBytes) return 'too_long';
  // Methods outside Envoy's enum arrive as METHOD_UNSPECIFIED.
  const method = METHOD.test(request.request_method) ? request.request_method : 'OTHER';
  const ip = clientIp(e);
  const response = e.response;
  const requestId = requestIdOrNull(request.request_id);
  return {
    requestId: requestId ?? derivedId(e, ts, ip, method, target),
    requestIdFromClient: requestId !== null,
    ts,
    ip,
    method,
    path,
    query,
    status: response?.response_code?.value ?? 0,
    requestBytes: request.request_headers_bytes + request.request_body_bytes,
    // Body bytes, like NGINX's $body_bytes_sent in our log_format.
    responseBytes: response?.response_body_bytes ?? 0,
    latencyMs: ms(common.time_to_last_downstream_tx_byte ?? common.duration),
    userAgent: request.user_agent,
    apiKey: rawKey(request.request_headers, opts),
    keyId: null,
    ...(common.upstream_cluster !== '' || common.route_name !== ''
      ? { gateway: { service: common.upstream_cluster, routeName: common.route_name, consumer: '' } }
      : {}),
  };
}

function clientIp(e: AlsHttpEntry): string {
  const address = e.common_properties?.downstream_remote_address?.socket_address?.address ?? '';
  if (address !== '') return address;
  const xff = e.request?.forwarded_for ?? '';
  const comma = xff.indexOf(',');
  return (comma < 0 ? xff : xff.slice(0, comma)).trim();
}

function rawKey(headers: Record<string, string>, opts: ParseOptions): string | null {
  for (const name of opts.keyHeaders) {
    const key = keyFromHeaderValue(headers[name] ?? '', opts.bearer);
    if (key !== null) return key;
  }
  return opts.bearer ? bearerToken(headers.authorization ?? '') : null;
}

function ms(d: Duration | null): number {
  if (d === null) return 0;
  const v = Math.round(d.seconds * 1000 + d.nanos / 1e6);
  return Number.isFinite(v) && v > 0 ? v : 0;
}

/**
 * Envoy sets x-request-id unless told not to; without one, an id is derived from what identifies
 * the request, so a record has an id even though it has no line for the sanitizer to hash.
 */
function derivedId(e: AlsHttpEntry, ts: number, ip: string, method: string, target: string): string {
  const common = e.common_properties;
  const parts = [
    'envoy', ts, common?.start_time?.nanos ?? 0, ip, common?.downstream_remote_address?.socket_address?.port_value ?? 0,
    common?.stream_id ?? '', method, target,
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}
