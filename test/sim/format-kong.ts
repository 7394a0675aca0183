import type { SimEvent } from './event.js';

/**
 * One request as Kong's `kong.log.serialize()` object on one line (what the file-log plugin
 * writes), the fields agent/parsers/kong.ts reads: start time, client address, the request with
 * its headers (user agent, the key in X-Api-Key), response status and size, latency, the service
 * and route, and the consumer Kong authenticated (`consumer.id`, none for keyless requests).
 */
export function formatKongLine(e: SimEvent, consumer: string | null): string {
  const headers: Record<string, string> = { accept: '*/*', 'user-agent': e.userAgent, host: 'api.example.com' };
  if (e.apiKey !== '') headers['x-api-key'] = e.apiKey;
  const o: Record<string, unknown> = {
    response: { size: e.bytesSent, status: e.status },
    route: { name: 'api-v' + (e.uri.startsWith('/v2/') ? '2' : '1'), id: '0f1a4101-3327-4274-b1e4-484a4ab0c030' },
    client_ip: e.remoteAddr,
    request: { id: e.requestId, headers, uri: e.args === '' ? e.uri : `${e.uri}?${e.args}`, size: e.requestLength, method: e.method },
    started_at: e.startMs,
    latencies: { kong: 1, proxy: Math.max(0, e.latencyMs - 1), request: e.latencyMs },
    service: { name: 'b2b-api', id: 'fb4eecf8-dec2-40ef-b779-16de7e2384c7' },
  };
  if (consumer !== null && e.apiKey !== '') o.consumer = { id: consumer, username: `c-${consumer.slice(0, 8)}` };
  return JSON.stringify(o);
}
