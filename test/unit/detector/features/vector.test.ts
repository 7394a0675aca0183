import { describe, expect, it } from 'vitest';
import { foldWindow } from '../../../../detector/features/fold.js';
import { newPopulation } from '../../../../detector/features/population.js';
import { learnKeyShapes, learnPopulationShapes, keyKnows, populationKnows } from '../../../../detector/features/shape-set.js';
import { computeFeatures } from '../../../../detector/features/vector.js';
import { openWindow } from '../../../../detector/features/window.js';
import { agentTag, newProfile, upgradeState, type KeyState } from '../../../../detector/profiles/key-state.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 2);
const HALF_LIFE = 14 * DAY;

describe('feature vector', () => {
  it('sums sequential reads and failed never-seen shapes over the trailing 24 h only', () => {
    const pop = newPopulation();
    const p = newProfile(T0);
    // Windows at 0 h (falls out of the 24 h), then 10 h and 20 h.
    for (const h of [0, 10, 20]) {
      const w = Object.assign(openWindow(T0 + h * HOUR, HOUR, 'nginx'), { requests: 30, numeric: 20, sequential: 8, new_shape_err: 2 });
      foldWindow(p, w, computeFeatures(w, p, pop, 12), HALF_LIFE);
    }
    const w = Object.assign(openWindow(T0 + 24 * HOUR, HOUR, 'nginx'), { requests: 30, numeric: 20, sequential: 4, new_shape_err: 1 });
    const fv = computeFeatures(w, p, pop, 12);
    expect(fv.numeric_24h).toBe(60);
    expect(fv.sequential_24h).toBe(20);
    expect(fv.values.sequential_24h).toBeCloseTo(20 / 60);
    expect(fv.values.new_shape_errors_24h).toBe(5);
  });

  it('counts the UTC days a key was active', () => {
    const pop = newPopulation();
    const p = newProfile(T0);
    for (const h of [9, 10, 11, 33, 80]) {
      const w = Object.assign(openWindow(T0 + h * HOUR, HOUR, 'nginx'), { requests: 5 });
      foldWindow(p, w, computeFeatures(w, p, pop, 12), HALF_LIFE);
    }
    expect(p.days).toBe(3);
  });

  it("holds a young key to the population's volume where its own short history is lower, not where it is higher", () => {
    const pop = newPopulation();
    const quiet = newProfile(T0);
    const busy = newProfile(T0);
    for (const [p, requests] of [[quiet, 3], [busy, 2000]] as const) {
      const w = Object.assign(openWindow(T0 + 10 * HOUR, HOUR, 'nginx'), { requests });
      foldWindow(p, w, computeFeatures(w, p, pop, 12), HALF_LIFE);
    }
    const at = T0 + 34 * HOUR;
    const q = computeFeatures(Object.assign(openWindow(at, HOUR, 'nginx'), { requests: 40 }), quiet, pop, 12);
    const b = computeFeatures(Object.assign(openWindow(at, HOUR, 'nginx'), { requests: 40 }), busy, pop, 12);
    expect(q.own).toBe(true);
    expect(q.baselines.requests).toBeGreaterThan(20);
    expect(b.baselines.requests).toBeGreaterThan(1800);
  });
});

describe('shape filters', () => {
  it('a key remembers the shapes it learnt', () => {
    const key = { shapes: '' };
    learnKeyShapes(key, [1, 2, 3]);
    expect(typeof key.shapes).toBe('string');
    expect([1, 2, 3].every((s) => keyKnows(key, s))).toBe(true);
    // Reloaded from its JSON it still does.
    expect(keyKnows(JSON.parse(JSON.stringify(key)) as { shapes: string }, 2)).toBe(true);
    expect(keyKnows(key, 99_999)).toBe(false);
  });

  it('the population forgets in generations: a shape survives one rotation, not two', () => {
    const pop = newPopulation();
    learnPopulationShapes(pop, [42]);
    let next = 1_000_000;
    const fillUp = () => {
      // Enough distinct shapes to pass the rotation point, one window at a time.
      for (let i = 0; i < 70; i++) learnPopulationShapes(pop, Array.from({ length: 16 }, () => (next = (Math.imul(next, 2654435761) + 12345) >>> 0)));
    };
    fillUp();
    expect(populationKnows(pop, 42)).toBe(true);
    expect(pop.shapes_old).not.toBe('');
    fillUp();
    fillUp();
    expect(populationKnows(pop, 42)).toBe(false);
  });
});

describe('key state', () => {
  it('tags agents so that a version change keeps the family half', () => {
    const a = agentTag('acme-sync/2.3 (python-requests/2.31.0)');
    const b = agentTag('acme-sync/2.3 (python-requests/2.32.3)');
    const c = agentTag('curl/8.5.0');
    expect(a).toMatch(/^[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(a.slice(0, 4)).toBe(b.slice(0, 4));
    expect(c.slice(0, 4)).not.toBe(a.slice(0, 4));
  });

  it('brings a state stored by the earlier version up to date', () => {
    const p = newProfile(T0) as unknown as Record<string, unknown>;
    delete p.runs;
    delete p.shapes;
    delete p.days;
    p.windows = 30;
    p.decayed_at = T0 + 5 * DAY;
    p.trail = [[T0 + 4 * DAY, 12, 7]];
    p.agents = { '1a2b3c4d': 40 };
    const s = upgradeState({ key_id: 'a'.repeat(32), profile: p, window: null } as unknown as KeyState);
    expect(s.profile.runs).toEqual([]);
    expect(s.profile.days).toBe(5);
    expect(s.profile.trail).toEqual([[(T0 + 4 * DAY) / 60_000, 12, 7, 0, 0, 0]]);
    // Agent tags of the earlier format are dropped rather than taken for other agents.
    expect(s.profile.agents).toEqual({});
  });
});
