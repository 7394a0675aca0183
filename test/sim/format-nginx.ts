import type { SimEvent } from './event.js';

/**
 * One access log line in lowslow's NGINX log_format (gateway-plugins/nginx/lowslow.conf):
 * a JSON object of strings, in the format's field order. key_id stays "": the simulated
 * gateway does not run the njs module, so the agent derives it.
 */
export function formatNginxLine(e: SimEvent): string {
  return JSON.stringify({
    time: msec(e.endMs),
    request_time: (e.latencyMs / 1000).toFixed(3),
    request_id: e.requestId,
    remote_addr: e.remoteAddr,
    method: e.method,
    uri: e.uri,
    args: e.args,
    status: String(e.status),
    request_length: String(e.requestLength),
    bytes_sent: String(e.bytesSent),
    user_agent: e.userAgent,
    api_key: e.apiKey,
    key_id: '',
  });
}

/** `$msec`: seconds with millisecond resolution, e.g. "1793577600.123". */
function msec(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}`;
}
