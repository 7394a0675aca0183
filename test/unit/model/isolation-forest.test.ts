import { describe, expect, it } from 'vitest';
import { IsolationForest } from '../../../detector/model/index.js';
import { Prng } from '../../../detector/model/prng.js';

/** n rows of `features` values, each uniform in [centre - spread, centre + spread). */
function cluster(n: number, features: number, seed: number, centre = 0, spread = 1): Float64Array {
  const rng = new Prng(seed);
  const data = new Float64Array(n * features);
  for (let i = 0; i < data.length; i++) data[i] = centre + spread * (2 * rng.nextFloat() - 1);
  return data;
}

/** n rows around `centre` with standard deviation `sd` per feature (Box-Muller). */
function gaussian(n: number, features: number, seed: number, centre: number, sd: number): Float64Array {
  const rng = new Prng(seed);
  const data = new Float64Array(n * features);
  for (let i = 0; i < data.length; i++) {
    const u = 1 - rng.nextFloat();
    data[i] = centre + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
  }
  return data;
}

function toRows(data: Float64Array, features: number): number[][] {
  const rows: number[][] = [];
  for (let r = 0; r < data.length / features; r++) rows.push(Array.from(data.subarray(r * features, (r + 1) * features)));
  return rows;
}

describe('IsolationForest', () => {
  it('scores every row in (0, 1], whatever the data and options', () => {
    const configs = [
      { features: 1, rows: 50, options: { seed: 1, trees: 7 } },
      { features: 4, rows: 2000, options: { seed: 3 } },
      { features: 9, rows: 3000, options: { seed: 4, sampleSize: 64, maxDepth: 3 } },
      { features: 2, rows: 600, options: { seed: 5, sampleSize: 600, maxDepth: 30 } },
    ];
    for (const { features, rows, options } of configs) {
      const data = cluster(rows, features, options.seed);
      data.set([1e300, -1e300, Infinity, -Infinity, NaN].slice(0, features), 0);
      const model = IsolationForest.fit(data, features, options);
      // Far outside the training range, and one row all missing.
      const probe = cluster(500, features, 99, 0, 1e6).fill(NaN, 0, features);
      for (const s of [...model.score(data), ...model.score(probe)]) {
        expect(s).toBeGreaterThan(0);
        expect(s).toBeLessThanOrEqual(1);
      }
    }
  });

  it('scores an obvious outlier above every inlier of a tight cluster', () => {
    // As in the paper, the anomaly is part of the data the forest is grown on.
    const features = 3;
    for (let seed = 1; seed <= 5; seed++) {
      const data = gaussian(1001, features, seed, 10, 0.1);
      data.set([11, 11, 11], 1000 * features);
      const scores = IsolationForest.fit(data, features, { seed }).score(data);
      expect(scores[1000]).toBeGreaterThan(Math.max(...scores.subarray(0, 1000)));
      expect(scores[1000]).toBeGreaterThan(0.7);
    }
  });

  it('gives the same forest for the same seed and a different one for another seed', () => {
    const data = cluster(5000, 5, 4);
    const a = IsolationForest.fit(data, 5, { seed: 42 }).toBytes();
    const b = IsolationForest.fit(data, 5, { seed: 42 }).toBytes();
    const c = IsolationForest.fit(data, 5, { seed: 43 }).toBytes();
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  it('fits and scores number[][] exactly like the row-major Float64Array', () => {
    const data = cluster(700, 3, 5);
    const fromFlat = IsolationForest.fit(data, 3, { seed: 7, trees: 20 });
    const fromRows = IsolationForest.fit(toRows(data, 3), { seed: 7, trees: 20 });
    expect(fromRows.toBytes()).toEqual(fromFlat.toBytes());
    expect(fromRows.score(toRows(data, 3))).toEqual(fromFlat.score(data));
  });

  it('gives scoreRow the same bits as the batch score, at any offset', () => {
    const features = 6;
    const data = cluster(1000, features, 6);
    const model = IsolationForest.fit(data, features, { seed: 1, trees: 37 });
    const batch = model.score(data);
    for (let r = 0; r < 1000; r++) {
      expect(model.scoreRow(data, r * features)).toBe(batch[r]);
      if (r % 97 === 0) expect(model.scoreRow(Array.from(data.subarray(r * features, (r + 1) * features)))).toBe(batch[r]);
    }
  });

  it('writes into a caller-owned output array', () => {
    const data = cluster(300, 2, 8);
    const model = IsolationForest.fit(data, 2, { trees: 10 });
    const out = new Float64Array(400).fill(-1);
    expect(model.score(data, out)).toBe(out);
    expect(out[299]).toBeGreaterThan(0);
    expect(out[300]).toBe(-1);
  });

  it('gives the fast and the general walk the same bits (rows without and with NaN in one block)', () => {
    const features = 4;
    const data = cluster(600, features, 10);
    const model = IsolationForest.fit(data, features, { seed: 2 });
    const clean = model.score(data);
    // A NaN in row 5 sends rows 0..255 through the general walk; their scores must not move.
    const withNaN = data.slice();
    withNaN[5 * features + 2] = NaN;
    const mixed = model.score(withNaN);
    for (let r = 0; r < 600; r++) if (r !== 5) expect(mixed[r]).toBe(clean[r]);
  });

  it('uses the general walk for forests deeper than the heap layout, with the same scores', () => {
    const features = 3;
    const data = gaussian(3000, features, 11, 0, 1);
    data.set([9, 9, 9], 0);
    const deep = IsolationForest.fit(data, features, { seed: 5, trees: 10, sampleSize: 3000, maxDepth: 20 });
    const batch = deep.score(data);
    for (let r = 0; r < 3000; r += 31) expect(deep.scoreRow(data, r * features)).toBe(batch[r]);
    expect(batch[0]).toBeGreaterThan(Math.max(...batch.subarray(1)));
  });

  it('treats a missing value as typical: NaN never makes an inlier look like an outlier', () => {
    const features = 4;
    const data = cluster(2000, features, 12, 0, 1);
    const model = IsolationForest.fit(data, features, { seed: 4 });
    const typical = model.scoreRow([0, 0, 0, 0]);
    for (let f = 0; f < features; f++) {
      const row = [0, 0, 0, 0];
      row[f] = NaN;
      const s = model.scoreRow(row);
      expect(s).toBeGreaterThan(0);
      expect(Math.abs(s - typical)).toBeLessThan(0.05);
    }
    expect(model.scoreRow([NaN, NaN, NaN, NaN])).toBeLessThan(0.5);
  });

  it('caps ψ at the row count and defaults the height limit to ceil(log2 ψ)', () => {
    const model = IsolationForest.fit(cluster(100, 2, 13), 2);
    expect(model.sampleSize).toBe(100);
    expect(model.maxDepth).toBe(7);
    expect(model.trees).toBe(100);
    expect(model.seed).toBe(1);
    expect(model.features).toBe(2);
  });

  it('scores 0.5 everywhere when no split is possible (constant data)', () => {
    const model = IsolationForest.fit(new Float64Array(200).fill(3), 2, { trees: 5 });
    expect(Array.from(model.score(new Float64Array([3, 3, 100, -100])))).toEqual([0.5, 0.5]);
  });
});
