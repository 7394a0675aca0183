import { describe, expect, it } from 'vitest';
import { validateAlert, validateConfig, type Alert, type Config } from '../../../../contracts/index.js';
import {
  calibratedThreshold,
  calibrationOptions,
  combinedOffset,
  kindOffsetOf,
  lowestThreshold,
  offsetOf,
  weightOf,
  type Weighed,
} from '../../../../detector/alerts/calibration.js';
import { MemoryCalibrationStore } from '../../../../detector/alerts/calibration-store.js';
import { Calibrator } from '../../../../detector/alerts/calibrator.js';
import { AlertDecider, KIND, type ClosedWindow } from '../../../../detector/alerts/decide.js';
import { MemoryAlertStore } from '../../../../detector/alerts/memory-alert-store.js';
import { CallbackAlertPublisher } from '../../../../detector/alerts/publish.js';
import { AlertReview } from '../../../../detector/alerts/review.js';
import { MemorySuppressions } from '../../../../detector/alerts/suppressions.js';
import { FEATURES, type FeatureName, type FeatureVector } from '../../../../detector/features/vector.js';
import { openWindow } from '../../../../detector/features/window.js';
import { DetectorMetrics } from '../../../../detector/metrics.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 2);
const KEY = 'c'.repeat(32);
const OTHER = 'd'.repeat(32);

function defaults(over: Record<string, unknown> = {}): Config {
  const c = { detection: { calibration: over } };
  if (!validateConfig(c)) throw new Error(JSON.stringify(validateConfig.errors));
  return c as Config;
}
const O = calibrationOptions(defaults().detection.calibration);
const fp = (at: number): Weighed => ({ verdict: 'false_positive', at });
const tp = (at: number): Weighed => ({ verdict: 'true_positive', at });

describe('calibration arithmetic', () => {
  it('the defaults: a false positive raises by 0.05, a true positive lowers by 0.05, halving every 30 days', () => {
    expect(O).toMatchObject({ keyStep: 0.05, kindStep: 0.01, kindMinLabels: 5, maxRaise: 0.2, maxLower: 0.1, maxThreshold: 0.9, halfLifeMs: 30 * DAY });
    expect(offsetOf([fp(0)], O.keyStep, 0, O.halfLifeMs)).toBeCloseTo(0.05, 12);
    expect(offsetOf([tp(0)], O.keyStep, 0, O.halfLifeMs)).toBeCloseTo(-0.05, 12);
    expect(offsetOf([fp(0)], O.keyStep, 30 * DAY, O.halfLifeMs)).toBeCloseTo(0.025, 12);
    expect(offsetOf([fp(0), tp(0)], O.keyStep, 0, O.halfLifeMs)).toBe(0);
  });

  it('forgets a label after four half-lives', () => {
    expect(weightOf(0, 4 * 30 * DAY - 1, O.halfLifeMs)).toBeGreaterThan(1 / 16);
    expect(offsetOf([fp(0)], O.keyStep, 4 * 30 * DAY - DAY, O.halfLifeMs)).toBeGreaterThan(0);
    expect(offsetOf([fp(0)], O.keyStep, 4 * 30 * DAY + DAY, O.halfLifeMs)).toBe(0);
  });

  it('caps what any number of labels can do, so detection never switches off', () => {
    const many = Array.from({ length: 50 }, () => fp(0));
    const raw = offsetOf(many, O.keyStep, 0, O.halfLifeMs);
    expect(raw).toBeCloseTo(2.5, 9);
    expect(combinedOffset(raw, 0, O)).toBe(0.2);
    expect(calibratedThreshold(0.6, combinedOffset(raw, 0, O), O)).toBe(0.8);
    // A high configured threshold: the ceiling (max_threshold) wins over max_raise.
    expect(calibratedThreshold(0.85, combinedOffset(raw, 0, O), O)).toBe(0.9);
    // One already above the ceiling is never raised.
    expect(calibratedThreshold(0.95, 0.2, O)).toBe(0.95);
    const lows = Array.from({ length: 50 }, () => tp(0));
    expect(calibratedThreshold(0.6, combinedOffset(offsetOf(lows, O.keyStep, 0, O.halfLifeMs), 0, O), O)).toBe(0.5);
    expect(lowestThreshold(0.6, O)).toBe(0.5);
    expect(calibratedThreshold(0.6, 0, O)).toBe(0.6);
  });

  it('moves a kind only once it has enough labels', () => {
    expect(kindOffsetOf([fp(0), fp(0), fp(0), fp(0)], 0, O)).toBe(0);
    expect(kindOffsetOf([fp(0), fp(0), fp(0), fp(0), fp(0)], 0, O)).toBeCloseTo(0.05, 12);
    // Forgotten labels do not count toward the minimum.
    expect(kindOffsetOf([fp(0), fp(0), fp(0), fp(0), fp(-200 * DAY)], 0, O)).toBe(0);
  });
});

function setup(over: Record<string, unknown> = {}) {
  const clock = { now: T0 + 30 * DAY };
  const store = new MemoryCalibrationStore();
  const options = calibrationOptions(defaults(over).detection.calibration);
  const calibration = new Calibrator({ store, options, base: 0.6, now: () => clock.now });
  return { clock, store, calibration };
}

function labelled(id: string, keyId: string, verdict: 'true_positive' | 'false_positive', at: number): Alert {
  return { id, key_id: keyId, kind: KIND, feedback: { verdict, note: '', at } } as Alert;
}

describe('Calibrator', () => {
  it('records each change in the audit log with who, which alert and verdict, old and new', async () => {
    const { calibration, clock } = setup();
    const a = labelled('a'.repeat(24), KEY, 'false_positive', clock.now);
    const entry = await calibration.label(a, 'token:0011223344556677');
    expect(entry).toEqual({
      at: clock.now,
      actor: 'token:0011223344556677',
      action: 'verdict',
      key_id: KEY,
      kind: KIND,
      alert_id: a.id,
      verdict: 'false_positive',
      key_offset: { old: 0, new: 0.05 },
      kind_offset: { old: 0, new: 0 },
      threshold: { old: 0.6, new: 0.65 },
    });
    expect(await calibration.thresholdFor(KEY, KIND)).toBe(0.65);
    expect(await calibration.thresholdFor(OTHER, KIND)).toBe(0.6);
    // The same verdict again changes nothing and writes nothing.
    expect(await calibration.label(a, 'token:0011223344556677')).toBeNull();
    expect((await calibration.view(KEY)).audit).toHaveLength(1);
    // Changed to a true positive: the label is replaced, not added.
    const changed = await calibration.label({ ...a, feedback: { verdict: 'true_positive', note: '', at: clock.now } }, 'open');
    expect(changed?.threshold).toEqual({ old: 0.65, new: 0.55 });
    const view = await calibration.view(KEY);
    expect(view.labels.map((l) => [l.alert_id, l.verdict, l.weight])).toEqual([[a.id, 'true_positive', 1]]);
    expect(view.audit.map((e) => e.action)).toEqual(['verdict', 'verdict']);
  });

  it('a withdrawn verdict restores the value the others give, exactly', async () => {
    const { calibration, clock } = setup();
    await calibration.label(labelled('1'.repeat(24), KEY, 'false_positive', clock.now - 30 * DAY), 'open');
    const before = await calibration.offsets(KEY, KIND);
    expect(before.key_offset).toBeCloseTo(0.025, 4);
    const second = labelled('2'.repeat(24), KEY, 'false_positive', clock.now);
    await calibration.label(second, 'open');
    expect((await calibration.offsets(KEY, KIND)).key_offset).toBeCloseTo(0.075, 4);
    const entry = await calibration.withdraw(second, 'token:aa');
    expect(entry).toMatchObject({ action: 'withdraw', alert_id: second.id, verdict: 'false_positive', actor: 'token:aa' });
    expect(await calibration.offsets(KEY, KIND)).toEqual(before);
    expect(await calibration.withdraw(second, 'token:aa')).toBeNull();
  });

  it('decays with the wall clock', async () => {
    const { calibration, clock } = setup();
    await calibration.label(labelled('1'.repeat(24), KEY, 'false_positive', clock.now), 'open');
    expect(await calibration.thresholdFor(KEY, KIND)).toBe(0.65);
    clock.now += 30 * DAY;
    expect(await calibration.thresholdFor(KEY, KIND)).toBe(0.625);
    clock.now += 100 * DAY;
    expect(await calibration.thresholdFor(KEY, KIND)).toBe(0.6);
  });

  it("with enough labels on a kind, every key's threshold of that kind moves a little", async () => {
    const { calibration, clock } = setup();
    const keys = ['1', '2', '3', '4', '5'].map((c) => c.repeat(32));
    for (const [i, k] of keys.entries()) {
      await calibration.label(labelled(String(i).repeat(24), k, 'false_positive', clock.now), 'open');
      expect((await calibration.offsets(OTHER, KIND)).kind_offset).toBe(i < 4 ? 0 : 0.05);
    }
    // A key with no label of its own gets the kind's offset; a labelled key gets both.
    expect(await calibration.thresholdFor(OTHER, KIND)).toBe(0.65);
    expect(await calibration.thresholdFor(keys[0] as string, KIND)).toBe(0.7);
    const overview = await calibration.overview(10);
    expect(overview.kinds).toEqual([{ kind: KIND, labels: 5, counts: true, offset: 0.05 }]);
    expect(overview.keys.map((k) => k.key_id)).toEqual([...keys].reverse());
    expect(overview.audit).toHaveLength(5);
  });

  it('reset removes every label of a key, from its kind too, and logs what the offsets were', async () => {
    const { calibration, clock } = setup({ kind_min_labels: 1 });
    await calibration.label(labelled('1'.repeat(24), KEY, 'false_positive', clock.now), 'open');
    await calibration.label(labelled('2'.repeat(24), KEY, 'false_positive', clock.now), 'open');
    expect(await calibration.thresholdFor(KEY, KIND)).toBe(0.72);
    expect(await calibration.thresholdFor(OTHER, KIND)).toBe(0.62);
    const entries = await calibration.reset(KEY, 'token:bb');
    expect(entries).toEqual([
      expect.objectContaining({ action: 'reset', alert_id: null, verdict: null, actor: 'token:bb', key_offset: { old: 0.1, new: 0 }, kind_offset: { old: 0.02, new: 0 }, threshold: { old: 0.72, new: 0.6 } }),
    ]);
    expect(await calibration.thresholdFor(KEY, KIND)).toBe(0.6);
    expect(await calibration.thresholdFor(OTHER, KIND)).toBe(0.6);
    expect((await calibration.view(KEY)).labels).toEqual([]);
    expect(await calibration.reset(KEY, 'token:bb')).toEqual([]);
  });
});

function closed(hour: number, score: number, keyId = KEY, populationTypical = false): ClosedWindow {
  const w = openWindow(T0 + hour * HOUR, HOUR, 'nginx');
  Object.assign(w, { requests: 400, routes: { '/v1/customers/{int}': 400 }, networks: ['10.0.0.0/24'], hosts: ['gw1'], samples: ['e1'] });
  const zero = Object.fromEntries(FEATURES.map((f) => [f, 0])) as Record<FeatureName, number>;
  const features: FeatureVector = { own: true, values: { ...zero, requests: 400 }, baselines: { ...zero, requests: 20 }, numeric: 400, numeric_24h: 400, sequential_24h: 380, days: 5, hour_of_week: 10 };
  return { keyId, window: w, features, score: { score, contributions: { sequential_share: 2 } }, closedAt: w.end, populationTypical };
}

function decision() {
  const { calibration, clock } = setup();
  const alerts = new MemoryAlertStore();
  const suppressions = new MemorySuppressions(() => clock.now);
  const metrics = new DetectorMetrics();
  const publisher = new CallbackAlertPublisher(() => undefined);
  const decider = new AlertDecider(alerts, publisher, { threshold: 0.6, modelVersion: 'test', suppressions, metrics, calibration });
  const review = new AlertReview({ store: alerts, publisher, suppressions, suppressMs: HOUR, calibration, now: () => clock.now });
  return { calibration, clock, alerts, suppressions, metrics, decider, review };
}

describe('decisions with calibrated thresholds', () => {
  it('a false positive raises the bar for that key only; a stronger window still alerts and says which threshold it met', async () => {
    const { decider, review, clock, metrics } = decision();
    const first = await decider.consider(closed(0, 0.63));
    expect(first?.threshold).toBe(0.6);
    await review.apply(first?.id as string, { kind: 'feedback', verdict: 'false_positive', note: '', actor: 'token:cc' });
    clock.now += 2 * HOUR; // the suppression has ended
    expect(await decider.consider(closed(5, 0.63))).toBeNull();
    expect(metrics.alertsCalibrated).toBe(1);
    expect((await decider.consider(closed(5, 0.63, OTHER)))?.threshold).toBe(0.6);
    const strong = await decider.consider(closed(6, 0.95));
    expect(strong?.status).toBe('open');
    // Two hours of decay since the verdict.
    expect(strong?.threshold).toBeCloseTo(0.65, 3);
    expect(strong?.threshold).toBeLessThan(0.65);
    expect(validateAlert(strong)).toBe(true);
  });

  it('a true positive lowers the bar, but a window the population model finds typical still raises nothing', async () => {
    const { decider, review } = decision();
    const first = await decider.consider(closed(0, 0.9));
    await review.apply(first?.id as string, { kind: 'feedback', verdict: 'true_positive', note: '' });
    await review.apply(first?.id as string, { kind: 'resolve' });
    expect(await decider.consider(closed(3, 0.57, KEY, true))).toBeNull();
    const lower = await decider.consider(closed(4, 0.57));
    expect(lower).toMatchObject({ threshold: 0.55, score: 0.57 });
    // Nothing below the lowest threshold labels can give is even looked up.
    expect(await decider.consider(closed(9, 0.49, OTHER))).toBeNull();
  });

  it('withdrawing the verdict takes the change back, lifts the suppression and opens the alert again', async () => {
    const { decider, review, calibration, suppressions, alerts } = decision();
    const first = await decider.consider(closed(0, 0.63));
    const id = first?.id as string;
    await review.apply(id, { kind: 'feedback', verdict: 'false_positive', note: 'batch job', actor: 'token:dd' });
    expect(await suppressions.isSuppressed(KEY, KIND)).toBe(true);
    expect(await calibration.thresholdFor(KEY, KIND)).toBe(0.65);
    const r = await review.apply(id, { kind: 'withdraw', actor: 'token:dd' });
    expect(r).toMatchObject({ outcome: 'changed', alert: { status: 'open' } });
    expect((r as { alert: Alert }).alert.feedback).toBeUndefined();
    expect(await suppressions.isSuppressed(KEY, KIND)).toBe(false);
    expect(await calibration.thresholdFor(KEY, KIND)).toBe(0.6);
    expect((await calibration.view(KEY)).audit.map((e) => `${e.action} ${e.threshold.old}->${e.threshold.new}`)).toEqual(['withdraw 0.65->0.6', 'verdict 0.6->0.65']);
    expect(await review.apply(id, { kind: 'withdraw' })).toMatchObject({ outcome: 'conflict', message: `alert ${id} has no verdict to withdraw` });
    // The alert is the key's active one again: a later window extends it.
    await decider.consider(closed(2, 0.63));
    expect((await alerts.get(id))?.window.end).toBe(T0 + 3 * HOUR);
  });

  it('a withdrawn false positive is resolved, not reopened, when the key has another active alert', async () => {
    const { decider, review, clock } = decision();
    const first = await decider.consider(closed(0, 0.63));
    await review.apply(first?.id as string, { kind: 'feedback', verdict: 'false_positive', note: '' });
    clock.now += 2 * HOUR;
    const second = await decider.consider(closed(4, 0.95));
    expect(second?.id).not.toBe(first?.id);
    expect(await review.apply(first?.id as string, { kind: 'withdraw' })).toMatchObject({ outcome: 'changed', alert: { status: 'resolved' } });
  });
});
