import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { MemoryAlertStore } from '../../../../detector/alerts/memory-alert-store.js';
import { buildApi } from '../../../../detector/api/app.js';
import { makeAlert } from '../../../support/alerts.js';

const READ = 'canary-read-token-51c0ffee';

describe('API request log', () => {
  it('writes one JSON line per request with its id, route pattern and status, and no token or query value', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _e, cb) => (lines.push(...chunk.toString().trim().split('\n')), cb()) });
    const alerts = new MemoryAlertStore();
    const alert = makeAlert(1);
    await alerts.put(alert);
    const app = buildApi({ alerts, tokens: { read: [READ], admin: [] }, log: pino({ level: 'info' }, sink) });
    await app.inject({ url: `/v1/alerts?key_id=${alert.key_id}&severity=high`, headers: { authorization: `Bearer ${READ}`, 'x-request-id': 'r1' } });
    await app.inject({ url: `/v1/alerts/${alert.id}`, headers: { authorization: `Bearer ${READ}` } });
    await app.inject({ url: '/v1/alerts' });
    await app.inject({ url: '/healthz' });
    const requests = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(requests.map((r) => [r.method, r.route, r.status])).toEqual([
      ['GET', '/v1/alerts', 200],
      ['GET', '/v1/alerts/:id', 200],
      ['GET', '/v1/alerts', 401],
    ]);
    expect(new Set(requests.map((r) => r.reqId)).size).toBe(3);
    const text = lines.join('\n');
    expect(text).not.toContain(READ);
    expect(text).not.toContain(alert.key_id);
    expect(text).not.toContain('severity=high');
  });
});
