import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../contracts/index.js';
import type { AlertStore } from '../../../../detector/alerts/alert-store.js';
import { MemoryAlertStore } from '../../../../detector/alerts/memory-alert-store.js';
import { buildApi, type ApiDeps } from '../../../../detector/api/app.js';
import { DetectorMetrics } from '../../../../detector/metrics.js';
import { makeAlert } from '../../../support/alerts.js';

const READ = 'canary-read-token-3be1c07d';
const ADMIN = 'canary-admin-token-9f8e7d6c';
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

async function api(over: Partial<ApiDeps> = {}) {
  const alerts = new MemoryAlertStore();
  await alerts.put(makeAlert(1));
  return buildApi({ alerts, tokens: { read: [READ], admin: [ADMIN] }, ...over });
}

describe('API authentication', () => {
  const id = makeAlert(1).id;

  it('answers 401 with a JSON body without a token or with a wrong one', async () => {
    const app = await api();
    const none = await app.inject({ url: '/v1/alerts' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'this route needs Authorization: Bearer <token>' });
    for (const auth of [`Bearer ${READ.slice(0, -1)}`, `Bearer ${READ}x`, `Bearer ${READ.toUpperCase()}`, `Basic ${READ}`, READ, 'Bearer ', `Bearer ${READ} ${READ}`]) {
      const r = await app.inject({ url: '/v1/alerts', headers: { authorization: auth } });
      expect(r.statusCode, auth).toBe(401);
      expect(r.json().message).not.toContain(READ);
    }
  });

  it('lets a read token read and refuses it changes with 403; an admin token does both', async () => {
    const app = await api();
    expect((await app.inject({ url: '/v1/alerts', headers: bearer(READ) })).statusCode).toBe(200);
    expect((await app.inject({ url: `/v1/alerts/${id}`, headers: bearer(READ) })).statusCode).toBe(200);
    const denied = await app.inject({ method: 'POST', url: `/v1/alerts/${id}/ack`, headers: bearer(READ) });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ error: 'Forbidden', message: expect.stringContaining('admin') });
    expect((await app.inject({ url: '/v1/alerts', headers: bearer(ADMIN) })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: `/v1/alerts/${id}/ack`, headers: bearer(ADMIN) })).statusCode).toBe(200);
  });

  it('is open when no token is configured', async () => {
    const alerts = new MemoryAlertStore();
    await alerts.put(makeAlert(1));
    const app = buildApi({ alerts });
    expect((await app.inject({ url: '/v1/alerts' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: `/v1/alerts/${id}/ack` })).statusCode).toBe(200);
  });

  it('serves /healthz and /readyz without a token; /readyz names the dependency that is down', async () => {
    let redisUp = true;
    const app = await api({
      health: {
        nats: async () => undefined,
        redis: async () => {
          if (!redisUp) throw Object.assign(new Error(`connect ECONNREFUSED redis://:${ADMIN}@db`), { code: 'ECONNREFUSED' });
        },
      },
    });
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', checks: { nats: 'ok', redis: 'ok' } });
    redisUp = false;
    const down = await app.inject({ url: '/readyz' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ status: 'unavailable', checks: { nats: 'ok', redis: 'unreachable (ECONNREFUSED)' } });
    expect(down.body).not.toContain(ADMIN);
  });

  it('serves /metrics as Prometheus text, behind a read token unless metrics_auth is off', async () => {
    const m = new DetectorMetrics();
    m.eventsIn = 12;
    m.alertsBySeverity.high = 2;
    const app = await api({ metrics: () => m.families(new Map([[0, Date.now() - 5_000]])) });
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(401);
    const r = await app.inject({ url: '/metrics', headers: bearer(READ) });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/plain; version=0.0.4');
    expect(r.body).toContain('# TYPE lowslow_detector_events_in_total counter\nlowslow_detector_events_in_total 12\n');
    expect(r.body).toContain('lowslow_detector_alerts_total{severity="high"} 2');
    expect(r.body).toMatch(/lowslow_detector_event_lag_seconds\{partition="0"\} [45](\.\d+)?\n/);
    const openMetrics = await api({ metricsAuth: false, metrics: () => m.families() });
    expect((await openMetrics.inject({ url: '/metrics' })).statusCode).toBe(200);
  });

  it('serves the OpenAPI document and Swagger UI at /docs without a token, with every route', async () => {
    const app = await api();
    const ui = await app.inject({ url: '/docs' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('Swagger UI');
    const doc = (await app.inject({ url: '/docs/json' })).json() as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { securitySchemes: object } };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/metrics', '/v1/alerts', '/v1/alerts/{id}', '/v1/alerts/{id}/ack', '/v1/alerts/{id}/resolve', '/v1/alerts/{id}/feedback']));
    expect(doc.components.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer' } });
    expect(JSON.stringify(doc)).not.toContain(READ);
  });

  it('limits requests per token, and per address without one; /healthz is never limited', async () => {
    const app = await api({ rateLimitPerMinute: 3 });
    for (let i = 0; i < 3; i++) expect((await app.inject({ url: '/v1/alerts', headers: bearer(READ) })).statusCode).toBe(200);
    const limited = await app.inject({ url: '/v1/alerts', headers: bearer(READ) });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(limited.headers['retry-after']).toBeDefined();
    // Another token has its own budget; so do anonymous callers, bad tokens included.
    expect((await app.inject({ url: '/v1/alerts', headers: bearer(ADMIN) })).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) expect((await app.inject({ url: '/v1/alerts', headers: bearer('wrong-token-0000000000') })).statusCode).toBe(401);
    expect((await app.inject({ url: '/v1/alerts', headers: bearer('wrong-token-0000000000') })).statusCode).toBe(429);
    for (let i = 0; i < 10; i++) expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('API bad requests', () => {
  const id = makeAlert(1).id;

  it.each([
    ['huge body', { 'content-type': 'application/json' }, JSON.stringify({ verdict: 'false_positive', note: 'x'.repeat(70_000) }), 413, 'too large'],
    ['invalid JSON', { 'content-type': 'application/json' }, '{"verdict":', 400, 'JSON'],
    ['empty JSON body', { 'content-type': 'application/json' }, '', 400, 'empty'],
    ['unsupported media type', { 'content-type': 'text/xml' }, '<verdict/>', 415, 'media type'],
    ['an array', { 'content-type': 'application/json' }, '[1,2]', 400, 'body'],
  ])('%s is a 4xx with a JSON error body and no stack trace', async (_what, headers, payload, status, text) => {
    const app = await api();
    const r = await app.inject({ method: 'POST', url: `/v1/alerts/${id}/feedback`, headers: { ...bearer(ADMIN), ...headers }, payload });
    expect(r.statusCode).toBe(status);
    const body = r.json() as { statusCode: number; error: string; message: string };
    expect(body.statusCode).toBe(status);
    expect(body.message.toLowerCase()).toContain(text.toLowerCase());
    expect(r.body).not.toMatch(/node_modules|\n\s+at |\.ts:\d+/);
  });

  it('answers an unknown route with a JSON 404', async () => {
    const app = await api();
    const r = await app.inject({ url: '/v1/nothing-here?x=1', headers: bearer(READ) });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'no route GET /v1/nothing-here' });
  });

  it('keeps internal errors inside: a failing store is a bare 500', async () => {
    const broken: AlertStore = {
      put: async () => undefined,
      get: async () => {
        throw new Error(`redis://:${ADMIN}@db.internal:6379 refused`);
      },
      list: async () => ({ alerts: [] as Alert[], next: null }),
      openFor: async () => null,
      update: async () => null,
    };
    const app = buildApi({ alerts: broken });
    const r = await app.inject({ url: `/v1/alerts/${id}` });
    expect(r.statusCode).toBe(500);
    expect(r.json()).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
  });
});
