/**
 * GET /v1/alerts?format= and GET /v1/alerts/:id?format=: Alert v1 by default, OCSF Detection
 * Findings or ECS documents on request (each checked against its schema), the same paging and
 * filters whatever the format, and a wrong format a 400 naming the allowed values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAlert, type Alert } from '../../../../contracts/index.js';
import { MemoryAlertStore } from '../../../../detector/alerts/memory-alert-store.js';
import { buildApi } from '../../../../detector/api/app.js';
import { KEYS, makeAlert } from '../../../support/alerts.js';
import { ecsProblems } from '../../../support/ecs-check.js';
import { ocsfProblems } from '../../../support/ocsf-check.js';

const READ = 'formats-read-token-7a01c4';

describe('alert formats on the API', () => {
  const store = new MemoryAlertStore();
  const app = buildApi({ alerts: store, tokens: { read: [READ] }, ui: false });
  const all = Array.from({ length: 7 }, (_, i) => makeAlert(i));

  beforeAll(async () => {
    for (const a of all) await store.put(a);
  });
  afterAll(() => app.close());

  const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${READ}` } });

  it('answers OCSF 1.3.0 Detection Findings for format=ocsf, paging like Alert v1', async () => {
    const seen: string[] = [];
    let url = '/v1/alerts?format=ocsf&limit=3';
    for (let i = 0; i < 5; i++) {
      const r = await get(url);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('application/json');
      const body = r.json() as { alerts: Array<{ finding_info: { uid: string } }>; next_cursor: string | null };
      for (const f of body.alerts) expect(ocsfProblems(f)).toEqual([]);
      seen.push(...body.alerts.map((f) => f.finding_info.uid));
      if (!body.next_cursor) break;
      url = `/v1/alerts?format=ocsf&limit=3&cursor=${body.next_cursor}`;
    }
    const plain = (await get('/v1/alerts?limit=500')).json() as { alerts: Alert[] };
    expect(seen).toEqual(plain.alerts.map((a) => a.id));
  });

  it('answers ECS documents for format=ecs, filters applied', async () => {
    const r = await get(`/v1/alerts?format=ecs&key_id=${KEYS[1]}&limit=500`);
    expect(r.statusCode).toBe(200);
    const docs = (r.json() as { alerts: Array<Record<string, unknown> & { entity: { id: string } }> }).alerts;
    expect(docs.length).toBe(all.filter((a) => a.key_id === KEYS[1]).length);
    for (const d of docs) {
      expect(ecsProblems(d, 'lowslow')).toEqual([]);
      expect(d.entity.id).toBe(KEYS[1]);
    }
  });

  it('one alert in each format; Alert v1 stays the default', async () => {
    const a = all[2] as Alert;
    expect(validateAlert((await get(`/v1/alerts/${a.id}`)).json())).toBe(true);
    expect(validateAlert((await get(`/v1/alerts/${a.id}?format=alert`)).json())).toBe(true);
    const f = (await get(`/v1/alerts/${a.id}?format=ocsf`)).json() as { finding_info: { uid: string } };
    expect(ocsfProblems(f)).toEqual([]);
    expect(f.finding_info.uid).toBe(a.id);
    const e = (await get(`/v1/alerts/${a.id}?format=ecs`)).json() as Record<string, unknown>;
    expect(ecsProblems(e, 'lowslow')).toEqual([]);
    expect((await get(`/v1/alerts/${'0'.repeat(24)}?format=ocsf`)).statusCode).toBe(404);
  });

  it.each(['/v1/alerts?format=cef', `/v1/alerts/${makeAlert(0).id}?format=OCSF`, '/v1/alerts?format='])('%s is a 400 naming the allowed formats', async (url) => {
    const r = await get(url);
    expect(r.statusCode).toBe(400);
    expect((r.json() as { message: string }).message).toBe('querystring/format must be one of alert, ocsf, ecs');
  });

  it('still refuses unknown parameters and needs a token', async () => {
    expect((await get(`/v1/alerts/${makeAlert(0).id}?format=ocsf&colour=red`)).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/v1/alerts?format=ocsf' })).statusCode).toBe(401);
  });
});
