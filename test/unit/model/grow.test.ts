import { describe, expect, it } from 'vitest';
import { deriveForest, type FlatForest } from '../../../detector/model/flat-forest.js';
import { growForest } from '../../../detector/model/grow.js';
import { resolveOptions, type IsolationForestOptions } from '../../../detector/model/options.js';
import { Prng } from '../../../detector/model/prng.js';

function grow(data: Float64Array, features: number, options: IsolationForestOptions): FlatForest {
  const rows = data.length / features;
  return deriveForest(growForest({ data, rows, features }, resolveOptions(options, rows)));
}

/**
 * With ψ = all rows every tree is grown on the whole data set, so routing every row down a tree
 * replays exactly which rows each node saw at fit time. Calls visit(node, rowsAtNode) per node.
 */
function replay(forest: FlatForest, data: Float64Array, visit: (node: number, rows: number[]) => void): void {
  const rows = data.length / forest.features;
  for (let t = 0; t < forest.treeCount; t++) {
    const stack: [number, number[]][] = [[forest.treeStart[t]!, Array.from({ length: rows }, (_, i) => i)]];
    while (stack.length > 0) {
      const [node, at] = stack.pop()!;
      visit(node, at);
      const f = forest.feature[node]!;
      if (f < 0) continue;
      const left: number[] = [];
      const right: number[] = [];
      for (const r of at) {
        const v = data[r * forest.features + f]!;
        if (v < forest.split[node]!) left.push(r);
        else if (v >= forest.split[node]!) right.push(r);
        else (forest.nanRight[node] ? right : left).push(r);
      }
      stack.push([forest.child[node]!, left], [forest.child[node]! + 1, right]);
    }
  }
}

function randomData(rows: number, features: number, seed: number): Float64Array {
  const rng = new Prng(seed);
  return Float64Array.from({ length: rows * features }, () => rng.nextFloat());
}

describe('growForest', () => {
  it('never splits on a feature that is constant in the node', () => {
    const features = 4;
    const rows = 200;
    const data = randomData(rows, features, 1);
    for (let r = 0; r < rows; r++) {
      data[r * features + 1] = 7; // constant everywhere
      if (data[r * features]! < 0.5) data[r * features + 3] = -1; // constant in part of the space
    }
    const forest = grow(data, features, { sampleSize: rows, trees: 30, maxDepth: 12 });
    let splits = 0;
    replay(forest, data, (node, at) => {
      const f = forest.feature[node]!;
      if (f < 0) {
        expect(at.length).toBe(forest.size[node]);
        return;
      }
      splits++;
      expect(f).not.toBe(1);
      const values = at.map((r) => data[r * features + f]!).filter((v) => !Number.isNaN(v));
      const min = Math.min(...values);
      const max = Math.max(...values);
      expect(min).toBeLessThan(max);
      expect(forest.split[node]).toBeGreaterThan(min);
      expect(forest.split[node]).toBeLessThanOrEqual(max);
    });
    expect(splits).toBeGreaterThan(1000);
  });

  it('ignores NaN when choosing splits and sends missing values to the larger side', () => {
    const features = 3;
    const rows = 256;
    const data = randomData(rows, features, 2);
    for (let r = 0; r < rows; r++) {
      data[r * features + 2] = NaN; // never observed
      if (r % 3 === 0) data[r * features] = NaN; // often missing
    }
    const forest = grow(data, features, { sampleSize: rows, trees: 30 });
    let nanSplits = 0;
    replay(forest, data, (node, at) => {
      const f = forest.feature[node]!;
      if (f < 0) return;
      expect(f).not.toBe(2);
      let below = 0;
      let above = 0;
      let missing = 0;
      for (const r of at) {
        const v = data[r * features + f]!;
        if (v < forest.split[node]!) below++;
        else if (v >= forest.split[node]!) above++;
        else missing++;
      }
      if (missing > 0) nanSplits++;
      expect(forest.nanRight[node]).toBe(above >= below ? 1 : 0);
      expect(forest.size[forest.child[node]!]! + forest.size[forest.child[node]! + 1]!).toBe(at.length);
    });
    expect(nanSplits).toBeGreaterThan(50);
  });

  it('partitions each subsample of ψ rows into at most 2ψ - 1 nodes within the height limit', () => {
    const data = randomData(5000, 2, 3);
    const forest = grow(data, 2, { sampleSize: 64, trees: 50 });
    expect(forest.maxDepth).toBe(6);
    for (let t = 0; t < forest.treeCount; t++) {
      const start = forest.treeStart[t]!;
      const end = forest.treeStart[t + 1]!;
      expect(end - start).toBeLessThanOrEqual(127);
      expect(forest.size[start]).toBe(64);
      expect(forest.treeDepth[t]).toBeLessThanOrEqual(6);
    }
  });

  it('draws each subsample without replacement', () => {
    // Duplicate-free distinct values: a tree grown on a sample with a repeated row could not isolate it,
    // so with maxDepth high enough every leaf of every tree holds exactly one row.
    const rows = 1000;
    const data = Float64Array.from({ length: rows }, (_, i) => i);
    const forest = grow(data, 1, { sampleSize: 256, trees: 40, maxDepth: 255 });
    for (let n = 0; n < forest.feature.length; n++) if (forest.feature[n]! < 0) expect(forest.size[n]).toBe(1);
  });
});
