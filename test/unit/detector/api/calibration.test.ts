/**
 * The calibration routes through the API: a verdict moves the key's threshold, GET shows it with
 * the label and an audit entry naming the caller by token digest, DELETE of the verdict and the
 * reset route take it back.
 */
import { describe, expect, it } from 'vitest';
import { calibrationOptions } from '../../../../detector/alerts/calibration.js';
import { MemoryCalibrationStore } from '../../../../detector/alerts/calibration-store.js';
import { Calibrator } from '../../../../detector/alerts/calibrator.js';
import { MemoryAlertStore } from '../../../../detector/alerts/memory-alert-store.js';
import { AlertReview } from '../../../../detector/alerts/review.js';
import { MemorySuppressions } from '../../../../detector/alerts/suppressions.js';
import { buildApi } from '../../../../detector/api/app.js';
import { KEYS, makeAlert } from '../../../support/alerts.js';

const READ = 'calibration-read-token-77a1';
const ADMIN = 'calibration-admin-token-3f0e';
const NOW = 1_800_000_000_000;
const KEY = KEYS[0] as string;

async function setup() {
  const alerts = new MemoryAlertStore();
  for (const i of [0, 2]) await alerts.put({ ...makeAlert(i), status: i === 0 ? 'open' : 'resolved' });
  const calibration = new Calibrator({
    store: new MemoryCalibrationStore(),
    options: calibrationOptions({ enabled: true, key_step: 0.05, kind_step: 0.01, kind_min_labels: 5, max_raise: 0.2, max_lower: 0.1, max_threshold: 0.9, half_life_days: 30 }),
    base: 0.6,
    now: () => NOW,
  });
  const review = new AlertReview({ store: alerts, suppressions: new MemorySuppressions(() => NOW), suppressMs: 3_600_000, calibration, now: () => NOW });
  const app = buildApi({ alerts, review, calibration, tokens: { read: [READ], admin: [ADMIN] }, ui: false });
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token = ADMIN, body?: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { payload: JSON.stringify(body) } : {}) });
  return { app, call };
}

type KeyView = { kinds: Array<{ kind: string; key_offset: number; threshold: number }>; labels: Array<{ alert_id: string; verdict: string; actor: string; weight: number }>; audit: Array<{ action: string; actor: string; alert_id: string | null; threshold: { old: number; new: number } }> };

describe('calibration API', () => {
  it('a key without labels has the configured threshold', async () => {
    const { call } = await setup();
    const r = await call('GET', `/v1/calibration/${KEY}`, READ);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ key_id: KEY, base_threshold: 0.6, kinds: [{ kind: 'behaviour', key_offset: 0, kind_offset: 0, offset: 0, threshold: 0.6 }], labels: [], audit: [] });
  });

  it('shows a verdict’s change with its audit entry, and DELETE of the verdict takes it back', async () => {
    const { call } = await setup();
    const id = makeAlert(0).id;
    expect((await call('POST', `/v1/alerts/${id}/feedback`, ADMIN, { verdict: 'false_positive', note: 'nightly export' })).statusCode).toBe(200);
    let view = (await call('GET', `/v1/calibration/${KEY}`, READ)).json() as KeyView;
    expect(view.kinds[0]).toMatchObject({ key_offset: 0.05, threshold: 0.65 });
    expect(view.labels).toEqual([expect.objectContaining({ alert_id: id, verdict: 'false_positive', weight: 1 })]);
    const actor = view.audit[0]?.actor as string;
    expect(actor).toMatch(/^token:[0-9a-f]{16}$/);
    expect(JSON.stringify(view)).not.toContain(ADMIN);

    const back = await call('DELETE', `/v1/alerts/${id}/feedback`);
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({ id, status: 'open' });
    expect(back.json()).not.toHaveProperty('feedback');
    view = (await call('GET', `/v1/calibration/${KEY}`, READ)).json() as KeyView;
    expect(view.kinds[0]?.threshold).toBe(0.6);
    expect(view.audit.map((e) => `${e.action} ${e.alert_id} ${e.threshold.old}->${e.threshold.new}`)).toEqual([`withdraw ${id} 0.65->0.6`, `verdict ${id} 0.6->0.65`]);
    const again = await call('DELETE', `/v1/alerts/${id}/feedback`);
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('no verdict');
    expect((await call('DELETE', `/v1/alerts/${'0'.repeat(24)}/feedback`)).statusCode).toBe(404);
  });

  it('reset puts the key back to the configured threshold and lists it in the overview', async () => {
    const { call } = await setup();
    for (const i of [0, 2]) await call('POST', `/v1/alerts/${makeAlert(i).id}/feedback`, ADMIN, { verdict: 'true_positive' });
    expect(((await call('GET', `/v1/calibration/${KEY}`, READ)).json() as KeyView).kinds[0]?.threshold).toBe(0.5);
    const overview = (await call('GET', '/v1/calibration?limit=10', READ)).json() as { keys: Array<{ key_id: string }>; audit: unknown[]; limits: { max_raise: number; half_life_days: number } };
    expect(overview.keys.map((k) => k.key_id)).toEqual([KEY]);
    expect(overview.audit).toHaveLength(2);
    expect(overview.limits).toMatchObject({ max_raise: 0.2, half_life_days: 30 });

    expect((await call('POST', `/v1/calibration/${KEY}/reset`, READ)).statusCode).toBe(403);
    const reset = await call('POST', `/v1/calibration/${KEY}/reset`);
    expect(reset.statusCode).toBe(200);
    const view = reset.json() as KeyView;
    expect(view.kinds[0]?.threshold).toBe(0.6);
    expect(view.labels).toEqual([]);
    expect(view.audit[0]).toMatchObject({ action: 'reset', alert_id: null, threshold: { old: 0.5, new: 0.6 } });
  });
});
