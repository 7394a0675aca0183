import { describe, expect, it } from 'vitest';
import { explain } from '../../../../detector/alerts/explain.js';
import { habitWeight, noveltyWeight, scoreWindow } from '../../../../detector/alerts/score.js';
import { FEATURES, type FeatureName, type FeatureVector } from '../../../../detector/features/vector.js';
import { openWindow } from '../../../../detector/features/window.js';

const zero = () => Object.fromEntries(FEATURES.map((f) => [f, 0])) as Record<FeatureName, number>;

function fv(values: Partial<Record<FeatureName, number>>, over: Partial<FeatureVector> = {}): FeatureVector {
  const baselines = { ...zero(), requests: 30, distinct_objects: 20, distinct_objects_24h: 150, sequential_share: 0.01, sequential_24h: 0.01, error_share: 0.02 };
  return { own: true, values: { ...zero(), requests: 30, distinct_objects: 20, distinct_objects_24h: 150, ...values }, baselines, numeric: 0, numeric_24h: 0, sequential_24h: 0, days: 10, hour_of_week: 10, ...over };
}

describe('window score', () => {
  it('takes a new network and agent at 3 a.m. as strong evidence on an established key, as weak evidence on a key one day old', () => {
    const odd = { new_network_share: 1, new_agent_share: 1, off_hours: 1 };
    expect(scoreWindow(fv(odd, { days: 10 })).score).toBeGreaterThan(0.9);
    expect(scoreWindow(fv(odd, { days: 1 })).score).toBe(0);
    expect(noveltyWeight(2)).toBeGreaterThan(0);
    expect(noveltyWeight(2)).toBeLessThan(1);
  });

  it("does not hold a new integration's initial sync against the paging range of its first day", () => {
    const sync = { page_beyond: 60, limit_beyond: 5 };
    expect(scoreWindow(fv(sync, { days: 2 })).score).toBe(0);
    expect(scoreWindow(fv(sync, { days: 10 })).score).toBeGreaterThan(0.9);
    expect(habitWeight(4)).toBeLessThan(1);
  });

  it('alerts on a walk through ids spread thin over a day, not on a few chance neighbours', () => {
    const thin = fv({ sequential_24h: 40 / 120 }, { numeric_24h: 120, sequential_24h: 40 });
    const s = scoreWindow(thin);
    expect(s.score).toBeGreaterThanOrEqual(0.6);
    expect(Object.keys(s.contributions)).toEqual(['sequential_24h']);
    expect(scoreWindow(fv({ sequential_24h: 6 / 120 }, { numeric_24h: 120, sequential_24h: 6 })).score).toBe(0);
  });

  it('alerts on failing requests with never-seen parameter shapes once there are several in 24 h', () => {
    expect(scoreWindow(fv({ new_shape_errors_24h: 2 })).score).toBe(0);
    const probing = fv({ new_shape_errors_24h: 7 });
    const s = scoreWindow(probing);
    expect(s.score).toBeGreaterThanOrEqual(0.6);
    const [reason] = explain(s, probing, openWindow(0, 3_600_000, 'nginx'));
    expect(reason?.feature).toBe('new_shape_errors_24h');
    expect(reason?.text).toMatch(/^7 failed requests in 24 h carried parameter shapes this key and its peers never sent/);
  });
});
