import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAlert, type Alert } from '../../../contracts/index.js';
import { MemoryAlertStore } from '../../../detector/alerts/memory-alert-store.js';
import { buildApi } from '../../../detector/api/app.js';
import { encodeCursor } from '../../../detector/api/cursor.js';
import { KEYS, makeAlert } from '../../support/alerts.js';

describe('alert API', () => {
  const store = new MemoryAlertStore();
  const app = buildApi({ alerts: store });
  const all = Array.from({ length: 23 }, (_, i) => makeAlert(i));

  beforeAll(async () => {
    for (const a of all) await store.put(a);
    // A few alerts reviewed already, for the status filter.
    for (const i of [2, 9, 16]) await store.put({ ...(all[i] as Alert), status: 'acknowledged' });
    await store.put({ ...(all[11] as Alert), status: 'false_positive' });
  });
  afterAll(() => app.close());

  const get = async (url: string) => {
    const r = await app.inject({ method: 'GET', url });
    return { status: r.statusCode, body: r.json() as { alerts: Alert[]; next_cursor: string | null; message?: string } };
  };

  it('serves /healthz', async () => {
    const r = await app.inject({ method: 'GET', url: '/healthz' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ status: 'ok' });
  });

  it('pages through every alert exactly once, newest first', async () => {
    const seen: Alert[] = [];
    let url = '/v1/alerts?limit=5';
    for (let i = 0; i < 10; i++) {
      const { status, body } = await get(url);
      expect(status).toBe(200);
      seen.push(...body.alerts);
      if (!body.next_cursor) break;
      url = `/v1/alerts?limit=5&cursor=${body.next_cursor}`;
    }
    expect(seen).toHaveLength(23);
    expect(new Set(seen.map((a) => a.id)).size).toBe(23);
    for (let i = 1; i < seen.length; i++) expect((seen[i - 1] as Alert).event_time).toBeGreaterThanOrEqual((seen[i] as Alert).event_time);
    for (const a of seen) expect(validateAlert(a)).toBe(true);
  });

  it('filters by key_id, severity, gateway and time', async () => {
    const byKey = await get(`/v1/alerts?key_id=${KEYS[1]}&limit=500`);
    expect(byKey.body.alerts.map((a) => a.id).sort()).toEqual(all.filter((a) => a.key_id === KEYS[1]).map((a) => a.id).sort());
    const high = await get('/v1/alerts?severity=high&limit=500');
    expect(high.body.alerts.length).toBe(all.filter((a) => a.severity === 'high').length);
    expect(high.body.alerts.every((a) => a.severity === 'high')).toBe(true);
    const envoy = await get('/v1/alerts?gateway=envoy');
    expect(envoy.body.alerts.every((a) => a.source.gateway === 'envoy')).toBe(true);
    expect(envoy.body.alerts.length).toBe(5);
    const from = new Date(Date.UTC(2026, 10, 2, 20)).toISOString();
    const to = Date.UTC(2026, 10, 2, 22);
    const range = await get(`/v1/alerts?from=${from}&to=${to}`);
    expect(range.body.alerts.map((a) => a.event_time).every((t) => t >= Date.parse(from) && t <= to)).toBe(true);
    expect(range.body.alerts.length).toBe(all.filter((a) => a.event_time >= Date.parse(from) && a.event_time <= to).length);
  });

  it('filters by status, and pages through a filtered list exactly once', async () => {
    const acked = await get('/v1/alerts?status=acknowledged');
    expect(acked.body.alerts.map((a) => a.id).sort()).toEqual([2, 9, 16].map((i) => (all[i] as Alert).id).sort());
    expect((await get('/v1/alerts?status=false_positive')).body.alerts.map((a) => a.id)).toEqual([(all[11] as Alert).id]);
    const open: Alert[] = [];
    let url = '/v1/alerts?status=open&limit=4';
    for (let i = 0; i < 10 && url; i++) {
      const { body } = await get(url);
      open.push(...body.alerts);
      url = body.next_cursor ? `/v1/alerts?status=open&limit=4&cursor=${body.next_cursor}` : '';
    }
    expect(open).toHaveLength(19);
    expect(open.every((a) => a.status === 'open')).toBe(true);
  });

  it('returns one alert by id, 404 for an unknown one', async () => {
    const a = all[7] as Alert;
    expect(a.status).toBe('open');
    const r = await app.inject({ method: 'GET', url: `/v1/alerts/${a.id}` });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual(a);
    const missing = await app.inject({ method: 'GET', url: `/v1/alerts/${'0'.repeat(24)}` });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toContain('not found');
  });

  it.each([
    ['/v1/alerts?limit=0', 'limit'],
    ['/v1/alerts?limit=9999', 'limit'],
    ['/v1/alerts?severity=urgent', 'severity'],
    ['/v1/alerts?key_id=XYZ', 'key_id'],
    ['/v1/alerts?from=yesterday', 'from'],
    ['/v1/alerts?cursor=bm90LWEtY3Vyc29y', 'cursor'],
    [`/v1/alerts?cursor=${encodeCursor({ t: 1, id: 'a'.repeat(24) }).slice(0, -2)}zz`, 'cursor'],
    // Tampered cursors: anything but the exact text the API handed out.
    [`/v1/alerts?cursor=${Buffer.from(`1e3.${'a'.repeat(24)}`).toString('base64url')}`, 'cursor'],
    [`/v1/alerts?cursor=${Buffer.from(`-5.${'a'.repeat(24)}`).toString('base64url')}`, 'cursor'],
    [`/v1/alerts?cursor=${Buffer.from(`5.${'A'.repeat(24)}`).toString('base64url')}`, 'cursor'],
    [`/v1/alerts?cursor=${Buffer.from(`5.${'a'.repeat(24)}x`).toString('base64url')}`, 'cursor'],
    [`/v1/alerts?cursor=${encodeCursor({ t: 1, id: 'a'.repeat(24) })}==`, 'cursor'],
    [`/v1/alerts?cursor=${encodeCursor({ t: 1, id: 'a'.repeat(24) })}.`, 'cursor'],
    ['/v1/alerts?cursor=', 'cursor'],
    [`/v1/alerts?cursor=${'A'.repeat(65)}`, 'cursor'],
    ['/v1/alerts?colour=red', 'colour'],
    ['/v1/alerts/not-an-id', 'id'],
  ])('%s is a 400 naming %s', async (url, field) => {
    const r = await app.inject({ method: 'GET', url });
    expect(r.statusCode).toBe(400);
    expect((r.json() as { message: string }).message).toContain(field);
  });
});
