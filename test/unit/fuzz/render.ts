/**
 * Requests with known field values, written as each gateway writes them (with that gateway's
 * escaping rules), and what the parser must read back from that line: the oracle of the injection
 * properties. Escaping, as the gateways do it:
 * - NGINX `escape=json` and Envoy / Kong JSON: JSON string escaping (JSON.stringify).
 * - NGINX's default escaping and Apache's for combined lines (escaping.ts).
 * - Envoy's text format: nothing is escaped (envoyproxy/envoy#4191), so a `"` followed by a space
 *   inside a header value is indistinguishable from the end of the field.
 */
import type { RawRecord } from '../../../agent/parsers/index.js';
import type { Format } from './corpus.js';
import { apacheEscape, apacheRead, clfTime, nginxEscape } from './escaping.js';

/** One request as the gateway saw it. Empty strings and null mean the gateway logged nothing. */
export interface Request {
  /** Request start, ms since epoch (whole ms). */
  ts: number;
  latencyMs: number;
  method: string;
  /** Starts with `/`, holds no `?`. */
  path: string;
  /** Raw query string without `?`. */
  query: string;
  status: number;
  requestBytes: number;
  responseBytes: number;
  /** Client address (no port). */
  ip: string;
  userAgent: string;
  referer: string;
  authority: string;
  apiKey: string | null;
  requestId: string | null;
}

/** How a format's line is laid out; each format reads its own. */
export interface Layout {
  /** nginx-combined: NGINX's or Apache's escaping. */
  escaping: 'nginx' | 'apache';
  /** nginx-combined: `combined` + key field, or the docker `main` format (+ X-Forwarded-For) + key field. */
  combined: 'combined_key' | 'main_key';
  /** X-Forwarded-For for main_key, Envoy's list; '' for none. */
  forwardedFor: string;
  /** nginx-combined: the time zone of `$time_local`, minutes east of UTC. */
  zoneMinutes: number;
  /** envoy-text: Envoy's default format, Envoy Gateway's (no upstream time), Istio's; `ACCESS ` prefix. */
  envoy: 'default' | 'gateway' | 'istio';
  accessPrefix: boolean;
  /** envoy-json: Envoy's keys as strings, as numbers, Envoy Gateway's keys, or in a Docker wrapper. */
  envoyJson: 'strings' | 'numbers' | 'gateway-keys' | 'docker';
}

export const DEFAULT_LAYOUT: Layout = {
  escaping: 'nginx',
  combined: 'combined_key',
  forwardedFor: '',
  zoneMinutes: 0,
  envoy: 'default',
  accessPrefix: false,
  envoyJson: 'strings',
};

const target = (r: Request) => (r.query === '' ? r.path : `${r.path}?${r.query}`);
const dash = (s: string | null) => (s === null || s === '' ? '-' : s);

function nginxJson(r: Request): string {
  return JSON.stringify({
    time: ((r.ts + r.latencyMs) / 1000).toFixed(3),
    request_time: (r.latencyMs / 1000).toFixed(3),
    request_id: r.requestId ?? '',
    remote_addr: r.ip,
    method: r.method,
    uri: r.path,
    args: r.query,
    status: String(r.status),
    request_length: String(r.requestBytes),
    bytes_sent: String(r.responseBytes),
    user_agent: r.userAgent,
    api_key: r.apiKey ?? '',
    key_id: '',
  });
}

function nginxCombined(r: Request, l: Layout): string {
  const esc = l.escaping === 'nginx' ? nginxEscape : apacheEscape;
  const q = (s: string | null) => `"${esc(dash(s))}"`;
  const request = `${r.method} ${target(r)} HTTP/1.1`;
  const head = `${r.ip} - - [${clfTime(r.ts, l.zoneMinutes)}] "${esc(request)}" ${r.status} ${r.responseBytes} ${q(r.referer)} ${q(r.userAgent)}`;
  return l.combined === 'main_key' ? `${head} ${q(l.forwardedFor)} ${q(r.apiKey)}` : `${head} ${q(r.apiKey)}`;
}

function envoyText(r: Request, l: Layout): string {
  const q = (s: string | null) => `"${dash(s)}"`;
  const forwarded = l.forwardedFor === '' ? r.ip : l.forwardedFor;
  const start = `[${new Date(r.ts).toISOString()}] "${r.method} ${target(r)} HTTP/1.1" ${r.status}`;
  const quoted = `${q(forwarded)} ${q(r.userAgent)} ${q(r.requestId)} ${q(r.authority)} "10.0.1.5:8080"`;
  const counters = `${r.requestBytes} ${r.responseBytes} ${r.latencyMs}`;
  let line: string;
  if (l.envoy === 'istio') {
    line = `${start} - via_upstream - "-" ${counters} ${r.latencyMs} ${quoted} outbound|8000||api.default.svc.cluster.local 10.44.1.23:37652 10.0.45.184:8000 10.44.1.23:46520 - default ${q(r.apiKey)}`;
  } else {
    line = `${start} - ${counters}${l.envoy === 'default' ? ` ${r.latencyMs}` : ''} ${quoted} ${q(r.apiKey)}`;
  }
  return l.accessPrefix ? `ACCESS ${line}` : line;
}

function envoyJson(r: Request, l: Layout): string {
  const forwarded = l.forwardedFor === '' ? r.ip : l.forwardedFor;
  const n = (v: number) => (l.envoyJson === 'numbers' ? v : String(v));
  const o: Record<string, unknown> =
    l.envoyJson === 'gateway-keys'
      ? {
          start_time: new Date(r.ts).toISOString(),
          method: r.method,
          'x-envoy-origin-path': target(r),
          protocol: 'HTTP/1.1',
          response_code: r.status,
          bytes_received: r.requestBytes,
          bytes_sent: r.responseBytes,
          duration: r.latencyMs,
          'x-forwarded-for': forwarded,
          'user-agent': r.userAgent === '' ? null : r.userAgent,
          'x-request-id': r.requestId,
          ':authority': r.authority,
          'x-api-key': r.apiKey,
        }
      : {
          start_time: new Date(r.ts).toISOString(),
          method: r.method,
          path: target(r),
          protocol: 'HTTP/1.1',
          response_code: n(r.status),
          response_flags: '-',
          bytes_received: n(r.requestBytes),
          bytes_sent: n(r.responseBytes),
          duration: n(r.latencyMs),
          x_forwarded_for: dash(forwarded),
          user_agent: dash(r.userAgent),
          request_id: dash(r.requestId),
          authority: dash(r.authority),
          upstream_host: '10.0.1.5:8080',
          downstream_remote_address: '10.1.1.1:40000',
          api_key: dash(r.apiKey),
        };
  const line = JSON.stringify(o);
  return l.envoyJson === 'docker' ? JSON.stringify({ log: `${line}\n`, stream: 'stdout', time: '2026-11-02T09:15:00.000000001Z' }) : line;
}

function kong(r: Request): string {
  const headers: Record<string, string> = { host: r.authority, accept: '*/*' };
  if (r.userAgent !== '') headers['user-agent'] = r.userAgent;
  if (r.apiKey !== null) headers['x-api-key'] = r.apiKey;
  if (r.referer !== '') headers.referer = r.referer;
  return JSON.stringify({
    request: {
      id: r.requestId ?? undefined,
      method: r.method,
      uri: target(r),
      url: `https://${r.authority}${target(r)}`,
      size: r.requestBytes,
      querystring: {},
      headers,
      tls: { version: 'TLSv1.3' },
    },
    response: { status: r.status, size: r.responseBytes, headers: { 'content-type': 'application/json' } },
    latencies: { request: r.latencyMs, kong: 1, proxy: Math.max(0, r.latencyMs - 1) },
    client_ip: r.ip,
    started_at: r.ts,
    upstream_uri: target(r),
    service: { name: 'api', protocol: 'https' },
    route: { id: 'r-7', paths: ['/'] },
    tries: [{ balancer_start: r.ts, ip: '10.0.1.5', port: 8080 }],
  });
}

export function render(format: Format, r: Request, l: Layout = DEFAULT_LAYOUT): string {
  switch (format) {
    case 'nginx-json':
      return nginxJson(r);
    case 'nginx-combined':
      return nginxCombined(r, l);
    case 'envoy-text':
      return envoyText(r, l);
    case 'envoy-json':
      return envoyJson(r, l);
    case 'kong':
      return kong(r);
  }
}

const REQUEST_ID = /^[0-9A-Za-z_-]{8,64}$/;
const validId = (id: string | null) => (id !== null && REQUEST_ID.test(id) ? id : null);

/** A key header's logged value as a raw key (DESIGN: Bearer with bearer on; other schemes never). */
export function headerKey(value: string | null): string | null {
  const v = (value ?? '').trim();
  if (v === '' || v === '-') return null;
  const space = v.indexOf(' ');
  if (space < 0) return v;
  const scheme = v.slice(0, space).toLowerCase();
  if (scheme === 'bearer') {
    const token = v.slice(space + 1).trim();
    return token === '' ? null : token;
  }
  return scheme === 'basic' || scheme === 'digest' || scheme === 'negotiate' ? null : v;
}

/**
 * What the parser must read from `render(format, r, l)`: every field from its own source. For
 * kong without a request id the parser derives one: `requestId` is then undefined (checked apart).
 */
export function expectedRecord(format: Format, r: Request, l: Layout = DEFAULT_LAYOUT): Omit<RawRecord, 'requestId'> & { requestId: string | null | undefined } {
  const forwardedFirst = (l.forwardedFor === '' ? r.ip : (l.forwardedFor.split(',')[0] ?? '').trim());
  const base = {
    requestId: validId(r.requestId),
    ts: r.ts,
    ip: r.ip,
    method: r.method,
    path: r.path,
    query: r.query,
    status: r.status,
    requestBytes: r.requestBytes,
    responseBytes: r.responseBytes,
    latencyMs: r.latencyMs,
    userAgent: r.userAgent === '-' ? '' : r.userAgent,
    apiKey: headerKey(r.apiKey),
    keyId: null,
  };
  switch (format) {
    case 'nginx-json':
      // Our own format takes the key header as it is: no trimming, no schemes.
      return { ...base, ip: r.ip === '-' ? '' : r.ip, apiKey: r.apiKey === null || r.apiKey === '' || r.apiKey === '-' ? null : r.apiKey };
    case 'nginx-combined': {
      const read = l.escaping === 'nginx' ? nginxEscape : apacheRead;
      const ua = read(dash(r.userAgent));
      return {
        ...base,
        requestId: null,
        ts: Math.floor(r.ts / 1000) * 1000,
        method: read(r.method),
        path: read(r.path),
        query: read(r.query),
        requestBytes: 0,
        latencyMs: 0,
        userAgent: ua === '-' ? '' : ua,
        apiKey: headerKey(read(dash(r.apiKey))),
      };
    }
    // Envoy's x-request-id may be the client's: the record says so (the sanitizer then makes the id unique).
    case 'envoy-text':
      return { ...base, requestIdFromClient: base.requestId !== null, ip: forwardedFirst === '-' ? '' : forwardedFirst };
    case 'envoy-json':
      // No forwarded-for address: the downstream peer, which only Envoy's own keys carry.
      return {
        ...base,
        requestIdFromClient: base.requestId !== null,
        ip: forwardedFirst === '' || forwardedFirst === '-' ? (l.envoyJson === 'gateway-keys' ? '' : '10.1.1.1') : forwardedFirst,
      };
    case 'kong':
      // The service and route as render() writes them (names, else ids), no consumer.
      return { ...base, requestId: validId(r.requestId) ?? undefined, userAgent: r.userAgent, gateway: { service: 'api', routeName: 'r-7', consumer: '' } };
  }
}
