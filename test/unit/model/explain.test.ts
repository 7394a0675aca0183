import { describe, expect, it } from 'vitest';
import { IsolationForest, topFeatures } from '../../../detector/model/index.js';
import { Prng } from '../../../detector/model/prng.js';

const FEATURES = 6;
const rng = new Prng(31);
const data = Float64Array.from({ length: 4000 * FEATURES }, () => rng.nextFloat());
const model = IsolationForest.fit(data, FEATURES, { seed: 8 });

describe('explain', () => {
  it('returns non-negative credit per feature summing to 1', () => {
    for (let r = 0; r < 50; r++) {
      const credit = model.explain(data, r * FEATURES);
      expect(credit).toHaveLength(FEATURES);
      for (const c of credit) expect(c).toBeGreaterThanOrEqual(0);
      expect(credit.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });

  it('credits the one feature in which an outlier differs', () => {
    for (let k = 0; k < FEATURES; k++) {
      for (const value of [1.8, -0.7]) {
        const row = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5];
        row[k] = value;
        const credit = model.explain(row);
        expect(topFeatures(credit, 1)).toEqual([k]);
        expect(credit[k]).toBeGreaterThan(0.5);
      }
    }
  });

  it('gives a missing value little credit', () => {
    const row = [0.5, 0.5, NaN, 0.5, 0.5, 0.5];
    const credit = model.explain(row);
    expect(credit[2]).toBeLessThan(0.05);
  });

  it('gives no credit when no tree could split', () => {
    const flat = IsolationForest.fit(new Float64Array(40).fill(1), 2, { trees: 3 });
    expect(Array.from(flat.explain([5, 5]))).toEqual([0, 0]);
    expect(topFeatures(flat.explain([5, 5]), 2)).toEqual([]);
  });
});

describe('topFeatures', () => {
  it('ranks by credit, breaks ties by index and leaves out features without credit', () => {
    expect(topFeatures([0.1, 0.4, 0, 0.4, 0.1], 3)).toEqual([1, 3, 0]);
    expect(topFeatures(new Float64Array([0, 0.2, 0.8]), 5)).toEqual([2, 1]);
    expect(topFeatures([0.5, 0.5], 0)).toEqual([]);
  });
});
