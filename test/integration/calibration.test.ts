/**
 * Verdicts that move thresholds, in Redis (real redis-server): a false positive given through the
 * API stops a repeat alert of the same key and kind at the same score after its suppression has
 * ended, while a much stronger window still alerts; a reset or a withdrawn verdict brings the
 * alert back. Labels and audit survive a new Calibrator (another detector, or a restart).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../contracts/index.js';
import { calibrationOptions } from '../../detector/alerts/calibration.js';
import { Calibrator } from '../../detector/alerts/calibrator.js';
import { AlertDecider, KIND } from '../../detector/alerts/decide.js';
import { CallbackAlertPublisher } from '../../detector/alerts/publish.js';
import { RedisAlertStore } from '../../detector/alerts/redis-alert-store.js';
import { RedisCalibrationStore } from '../../detector/alerts/redis-calibration-store.js';
import { RedisSuppressions } from '../../detector/alerts/redis-suppressions.js';
import { AlertReview } from '../../detector/alerts/review.js';
import { buildApi } from '../../detector/api/app.js';
import { closedWindow } from '../support/closed-window.js';
import { testConfig } from '../support/detector-harness.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

const ADMIN = 'calibration-integration-admin-1b2c';
const SUPPRESS_MS = 300;

describe('calibrated thresholds in Redis', () => {
  let server: RedisServer;
  let redis: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
  });

  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  function detector(prefix: string) {
    const config = testConfig();
    const cal = new Calibrator({ store: new RedisCalibrationStore(redis, prefix), options: calibrationOptions(config.detection.calibration), base: config.detection.threshold, kindCacheMs: 0 });
    const alerts = new RedisAlertStore(redis, prefix);
    const suppressions = new RedisSuppressions(redis, prefix);
    const publisher = new CallbackAlertPublisher(() => undefined);
    const decider = new AlertDecider(alerts, publisher, { threshold: config.detection.threshold, modelVersion: 'test', suppressions, calibration: cal });
    const review = new AlertReview({ store: alerts, publisher, suppressions, suppressMs: SUPPRESS_MS, calibration: cal });
    const api = buildApi({ alerts, review, calibration: cal, tokens: { admin: [ADMIN] }, ui: false });
    const call = async (method: 'GET' | 'POST' | 'DELETE', url: string, body?: object) => {
      const r = await api.inject({ method, url, headers: { authorization: `Bearer ${ADMIN}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { payload: JSON.stringify(body) } : {}) });
      expect(r.statusCode, `${method} ${url}: ${r.body}`).toBe(200);
      return r.json() as Record<string, unknown>;
    };
    const suppressionEnds = async (keyId: string) => {
      while (await suppressions.isSuppressed(keyId, KIND)) await sleep(50);
    };
    return { decider, call, alerts, suppressionEnds, calibration: cal };
  }

  it('a false positive stops the same score from alerting again, not a much stronger one; a reset brings it back', async () => {
    const key = '1'.repeat(32);
    const { decider, call, suppressionEnds, calibration } = detector('cal-a');
    const first = (await decider.consider(closedWindow(key, 0, 0.63))) as Alert;
    expect(first).toMatchObject({ threshold: 0.6, status: 'open' });
    await call('POST', `/v1/alerts/${first.id}/feedback`, { verdict: 'false_positive', note: 'partner re-sync' });
    await suppressionEnds(key);

    // The same score on a later window: the key's threshold is over it now.
    expect(await decider.consider(closedWindow(key, 30, 0.63))).toBeNull();
    const strong = (await decider.consider(closedWindow(key, 31, 0.97))) as Alert;
    expect(strong).not.toBeNull();
    expect(strong.threshold).toBeCloseTo(0.65, 3);
    expect(strong.severity).toBe('critical');
    await call('POST', `/v1/alerts/${strong.id}/resolve`);

    // Another process reads the same labels from Redis.
    const other = new Calibrator({ store: new RedisCalibrationStore(redis, 'cal-a'), options: calibration.options, base: 0.6 });
    expect(await other.thresholdFor(key, KIND)).toBeCloseTo(0.65, 3);

    const view = await call('POST', `/v1/calibration/${key}/reset`);
    expect((view.kinds as Array<{ threshold: number }>)[0]?.threshold).toBe(0.6);
    const back = (await decider.consider(closedWindow(key, 40, 0.63))) as Alert;
    expect(back).toMatchObject({ threshold: 0.6, score: 0.63, status: 'open' });
    const audit = ((await call('GET', `/v1/calibration/${key}`)).audit as Array<{ action: string }>).map((e) => e.action);
    expect(audit).toEqual(['reset', 'verdict']);
  }, 30_000);

  it('withdrawing the verdict (DELETE) restores the threshold and the alert', async () => {
    const key = '2'.repeat(32);
    const { decider, call, alerts, suppressionEnds } = detector('cal-b');
    const first = (await decider.consider(closedWindow(key, 0, 0.63))) as Alert;
    await call('POST', `/v1/alerts/${first.id}/feedback`, { verdict: 'false_positive' });
    await suppressionEnds(key);
    expect(await decider.consider(closedWindow(key, 30, 0.63))).toBeNull();
    expect((await alerts.get(first.id))?.window.end).toBe(first.window.end);

    const withdrawn = await call('DELETE', `/v1/alerts/${first.id}/feedback`);
    expect(withdrawn).toMatchObject({ id: first.id, status: 'open' });
    const view = await call('GET', `/v1/calibration/${key}`);
    expect((view.kinds as Array<{ threshold: number; key_offset: number }>)[0]).toMatchObject({ threshold: 0.6, key_offset: 0 });
    // The same score counts again: it extends the reopened alert.
    await decider.consider(closedWindow(key, 32, 0.63));
    expect((await alerts.get(first.id))?.window.end).toBe(closedWindow(key, 32, 0.63).window.end);
    expect((await alerts.openFor(key, KIND))?.id).toBe(first.id);
  }, 30_000);
});
