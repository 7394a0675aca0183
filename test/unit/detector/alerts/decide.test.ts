import { describe, expect, it } from 'vitest';
import { validateAlert, type Alert } from '../../../../contracts/index.js';
import { AlertDecider, KIND, type ClosedWindow } from '../../../../detector/alerts/decide.js';
import { MemoryAlertStore } from '../../../../detector/alerts/memory-alert-store.js';
import { MemoryKeyRiskStore } from '../../../../detector/alerts/memory-key-risk-store.js';
import { CallbackAlertPublisher } from '../../../../detector/alerts/publish.js';
import { AlertReview } from '../../../../detector/alerts/review.js';
import { MemorySuppressions } from '../../../../detector/alerts/suppressions.js';
import { FEATURES, type FeatureName, type FeatureVector } from '../../../../detector/features/vector.js';
import { openWindow } from '../../../../detector/features/window.js';
import { DetectorMetrics } from '../../../../detector/metrics.js';

const KEY = 'c'.repeat(32);
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 2);

function closed(hour: number, score: number, keyId = KEY): ClosedWindow {
  const w = openWindow(T0 + hour * HOUR, HOUR, 'nginx');
  Object.assign(w, { requests: 400, routes: { '/v1/customers/{int}': 400 }, networks: ['10.0.0.0/24'], hosts: ['gw1'], samples: ['e1'] });
  const zero = Object.fromEntries(FEATURES.map((f) => [f, 0])) as Record<FeatureName, number>;
  const features: FeatureVector = { own: true, values: { ...zero, requests: 400, sequential_share: 0.95 }, baselines: { ...zero, requests: 20 }, numeric: 400, numeric_24h: 400, sequential_24h: 380, days: 5, hour_of_week: 10 };
  return { keyId, window: w, features, score: { score, contributions: { sequential_share: 2 } }, closedAt: w.end };
}

function setup() {
  const store = new MemoryAlertStore();
  const published: Alert[] = [];
  const publisher = new CallbackAlertPublisher((a) => {
    published.push(structuredClone(a));
  });
  const risk = new MemoryKeyRiskStore();
  const suppressions = new MemorySuppressions();
  const metrics = new DetectorMetrics();
  const decider = new AlertDecider(store, publisher, { threshold: 0.6, modelVersion: 'test', risk, suppressions, metrics, now: () => 5 });
  const review = new AlertReview({ store, publisher, suppressions, suppressMs: 24 * HOUR });
  return { store, published, risk, suppressions, metrics, decider, review };
}

describe('AlertDecider', () => {
  it("records every closed window's score for GET /v1/keys, alerting or not", async () => {
    const { decider, risk } = setup();
    expect(await decider.consider(closed(0, 0.1))).toBeNull();
    expect(await decider.consider(closed(1, 0.2, 'd'.repeat(32)))).toBeNull();
    await decider.consider(closed(2, 0.7));
    expect(await risk.recent(KEY)).toEqual([{ window_end: T0 + 3 * HOUR, score: 0.7 }, { window_end: T0 + HOUR, score: 0.1 }]);
    expect((await risk.top(10, null)).keys.map((k) => [k.key_id, k.score])).toEqual([[KEY, 0.7], ['d'.repeat(32), 0.2]]);
  });

  it('raises one alert, counts it by severity, then raises its severity instead of repeating', async () => {
    const { decider, published, metrics, store } = setup();
    const first = await decider.consider(closed(0, 0.7));
    expect(first?.severity).toBe('low');
    expect(validateAlert(first)).toBe(true);
    expect(await decider.consider(closed(1, 0.7))).toBeNull();
    const raised = await decider.consider(closed(2, 0.99));
    expect(raised).toMatchObject({ id: first?.id, severity: 'critical' });
    expect(published.map((p) => p.severity)).toEqual(['low', 'critical']);
    expect(metrics.alertsBySeverity).toEqual({ low: 1, medium: 0, high: 0, critical: 1 });
    expect((await store.get(first?.id ?? ''))?.evidence.requests).toBe(1200);
  });

  it('extends an acknowledged alert (keeping the analyst’s status) rather than opening another', async () => {
    const { decider, review, store, published } = setup();
    const a = await decider.consider(closed(0, 0.7));
    await review.apply(a?.id ?? '', { kind: 'ack' });
    const raised = await decider.consider(closed(1, 0.99));
    expect(raised).toMatchObject({ id: a?.id, status: 'acknowledged', severity: 'critical' });
    expect(store.all()).toHaveLength(1);
    expect(published.map((p) => `${p.severity}/${p.status}`)).toEqual(['low/open', 'low/acknowledged', 'critical/acknowledged']);
  });

  it('opens a new alert once the previous one is resolved', async () => {
    const { decider, review, store } = setup();
    const a = await decider.consider(closed(0, 0.7));
    await review.apply(a?.id ?? '', { kind: 'resolve' });
    const b = await decider.consider(closed(5, 0.7));
    expect(b?.id).not.toBe(a?.id);
    expect(store.all().map((x) => x.status).sort()).toEqual(['open', 'resolved']);
  });

  it('raises nothing for a key and kind a false-positive verdict suppresses, and counts it', async () => {
    const { decider, review, metrics, suppressions } = setup();
    const a = await decider.consider(closed(0, 0.7));
    await review.apply(a?.id ?? '', { kind: 'feedback', verdict: 'false_positive', note: 'partner sync' });
    expect(await suppressions.isSuppressed(KEY, KIND)).toBe(true);
    expect(await decider.consider(closed(3, 0.99))).toBeNull();
    expect(metrics.alertsSuppressed).toBe(1);
    // Other keys still alert.
    expect(await decider.consider(closed(3, 0.99, 'd'.repeat(32)))).not.toBeNull();
  });

  it('keeps an ack made while the detector is raising the same alert', async () => {
    const store = new MemoryAlertStore();
    const review = new AlertReview({ store });
    let ackedDuringPublish = false;
    const publisher = new CallbackAlertPublisher(async (a) => {
      // The analyst acks while the raised alert is being published.
      if (a.severity === 'critical' && !ackedDuringPublish) {
        ackedDuringPublish = true;
        await review.apply(a.id, { kind: 'ack' });
      }
    });
    const decider = new AlertDecider(store, publisher, { threshold: 0.6, modelVersion: 'test' });
    const a = await decider.consider(closed(0, 0.7));
    await decider.consider(closed(1, 0.99));
    expect(ackedDuringPublish).toBe(true);
    expect(await store.get(a?.id ?? '')).toMatchObject({ status: 'acknowledged', severity: 'critical', window: { end: T0 + 2 * HOUR } });
  });
});
