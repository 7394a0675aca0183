import { describe, expect, it } from 'vitest';
import {
  copySketch,
  decodeSketch,
  encodeSketch,
  estimate,
  merge,
  newSketch,
  PACKED_BYTES,
  REGISTERS,
  sketchAddHash,
  type CoverageSketch,
} from '../../../../detector/profiles/coverage-sketch.js';
import { objectHash } from '../../../../detector/profiles/object-sketch.js';

const ROUTE = '/v1/orders/{int}';
const DAY0 = 20_400;
/** The standard error of a 64-register HyperLogLog, the figure the sketch states. */
const STD_ERROR = 1.04 / Math.sqrt(REGISTERS);

function filled(ids: Iterable<number>, day = DAY0, route = ROUTE): CoverageSketch {
  const s = newSketch(day);
  for (const id of ids) sketchAddHash(s, objectHash(route, id), day);
  return s;
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe('coverage sketch', () => {
  it('counts small sets almost exactly and reads 0 when empty', () => {
    expect(estimate(newSketch(DAY0), DAY0)).toBe(0);
    for (const n of [1, 5, 20]) expect(Math.abs(estimate(filled(range(1, n)), DAY0) - n)).toBeLessThanOrEqual(Math.max(1, 0.15 * n));
  });

  it('estimates known cardinalities within its stated error (RMS over 40 sets within 1.3 × 1.04/√64, none past 3.5 σ)', () => {
    for (const n of [100, 1_000, 10_000, 100_000]) {
      let sq = 0;
      for (let t = 0; t < 40; t++) {
        const e = estimate(filled(range(t * 1_000_003 + 1, n), DAY0, `/v1/r${t}/{int}`), DAY0);
        const rel = (e - n) / n;
        expect(Math.abs(rel)).toBeLessThan(3.5 * STD_ERROR);
        sq += rel * rel;
      }
      expect(Math.sqrt(sq / 40)).toBeLessThan(1.3 * STD_ERROR);
    }
  });

  it('does not count an object twice', () => {
    const once = filled(range(1, 3_000));
    const twice = filled([...range(1, 3_000), ...range(1, 3_000)]);
    expect(estimate(twice, DAY0)).toBe(estimate(once, DAY0));
  });

  it('merges into the union: disjoint halves add up, identical sets stay as they are', () => {
    const a = filled(range(1, 5_000));
    const b = filled(range(5_001, 5_000));
    const whole = filled(range(1, 10_000));
    const u = copySketch(a);
    merge(u, b);
    expect(estimate(u, DAY0)).toBe(estimate(whole, DAY0));
    const same = copySketch(a);
    merge(same, a);
    expect(estimate(same, DAY0)).toBe(estimate(a, DAY0));
    // Either order gives the same union.
    const v = copySketch(b);
    merge(v, a);
    expect(encodeSketch(v)).toBe(encodeSketch(u));
  });

  it('forgets what is older than 30 days, and its 7-day view never reads high', () => {
    const s = newSketch(DAY0);
    // 100 new objects a day for 40 days.
    for (let d = 0; d < 40; d++) for (const id of range(d * 100 + 1, 100)) sketchAddHash(s, objectHash(ROUTE, id), DAY0 + d);
    const today = DAY0 + 39;
    expect(Math.abs(estimate(s, today, 30) - 3_000) / 3_000).toBeLessThan(3.5 * STD_ERROR);
    // Two slots a register: for a steady stream of mixed ages the 7-day view is a lower bound.
    expect(estimate(s, today, 7)).toBeLessThan(700 * (1 + 3.5 * STD_ERROR));
    // After 30 quiet days nothing is left.
    expect(estimate(s, today + 30, 30)).toBe(0);
  });

  it('sees a recent burst of new objects in its 7-day view beside an older working set', () => {
    const s = filled(range(1, 2_000), DAY0);
    for (let d = 0; d < 3; d++) for (const id of range(100_000 + d * 300, 300)) sketchAddHash(s, objectHash(ROUTE, id), DAY0 + 20 + d);
    const today = DAY0 + 22;
    expect(Math.abs(estimate(s, today, 30) - 2_900) / 2_900).toBeLessThan(3.5 * STD_ERROR);
    expect(Math.abs(estimate(s, today, 7) - 900) / 900).toBeLessThan(3.5 * STD_ERROR);
  });

  it('keeps a merge of sketches of different days right for both', () => {
    const old = filled(range(1, 2_000), DAY0);
    const recent = filled(range(10_001, 2_000), DAY0 + 20);
    merge(old, recent);
    expect(Math.abs(estimate(old, DAY0 + 20) - 4_000) / 4_000).toBeLessThan(3.5 * STD_ERROR);
    // Twelve days on, the older half has aged out.
    expect(Math.abs(estimate(old, DAY0 + 32) - 2_000) / 2_000).toBeLessThan(3.5 * STD_ERROR);
  });

  it('packs into a fixed 160 bytes and reads back exactly', () => {
    const s = filled(range(1, 50_000));
    const text = encodeSketch(s);
    expect(Buffer.from(text, 'base64').length).toBe(PACKED_BYTES);
    expect(text.length).toBe(216);
    expect(decodeSketch(text, s.day)).toEqual(s);
    // Whatever is added, the stored size stays the same.
    for (const id of range(50_001, 200_000)) sketchAddHash(s, objectHash(ROUTE, id), DAY0);
    expect(encodeSketch(s).length).toBe(216);
    expect(decodeSketch('not a sketch', DAY0)).toEqual(newSketch(DAY0));
  });
});
