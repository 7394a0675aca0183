import { describe, expect, it } from 'vitest';
import { BatchWalk } from '../../../detector/model/batch-walk.js';
import { deriveForest } from '../../../detector/model/flat-forest.js';
import { growForest } from '../../../detector/model/grow.js';
import { buildHeapForest } from '../../../detector/model/heap-forest.js';
import { resolveOptions } from '../../../detector/model/options.js';
import { Prng } from '../../../detector/model/prng.js';
import { pathSum } from '../../../detector/model/score.js';

function walkOn(rows: number, features: number, trees: number, data?: Float64Array) {
  const rng = new Prng(rows + features);
  const train = data ?? Float64Array.from({ length: rows * features }, () => rng.nextFloat());
  const options = resolveOptions({ trees, sampleSize: Math.min(rows, 256), seed: 3 }, rows);
  const forest = deriveForest(growForest({ data: train, rows, features }, options));
  const heap = buildHeapForest(forest)!;
  return { forest, walk: new BatchWalk(heap, forest.treeCount, features) };
}

describe('BatchWalk', () => {
  it('sums the same path lengths as the general layout, whatever the number of rows', () => {
    const features = 5;
    const { forest, walk } = walkOn(1000, features, 21);
    const rng = new Prng(9);
    // Beyond the training range too, so walks also run through padding below shallow leaves.
    const probe = Float64Array.from({ length: walk.blockRows * features }, () => 3 * rng.nextFloat() - 1);
    const expected = new Float64Array(1);
    for (const count of [1, 7, 8, 9, 13, walk.blockRows]) {
      expect(walk.load(probe, 0, count)).toBe(true);
      walk.run(count);
      for (let r = 0; r < count; r++) {
        pathSum(forest, null, probe, r * features, expected, 0);
        expect(walk.sums[r]).toBe(expected[0]);
      }
    }
  });

  it('takes no step in a forest of single leaves', () => {
    const { forest, walk } = walkOn(50, 2, 4, new Float64Array(100).fill(1));
    expect(Math.max(...forest.treeDepth)).toBe(0);
    expect(walk.load(new Float64Array([1, 2, 3, 4]), 0, 2)).toBe(true);
    walk.run(2);
    expect([walk.sums[0], walk.sums[1]]).toEqual([4 * forest.leafPath[0]!, 4 * forest.leafPath[0]!]);
  });

  it('refuses a block holding a NaN, which only the general layout can walk', () => {
    const { walk } = walkOn(300, 3, 5);
    expect(walk.load(new Float64Array([0.1, 0.2, 0.3, 0.4, NaN, 0.6]), 0, 2)).toBe(false);
    expect(walk.load(new Float64Array([0.1, 0.2, 0.3, 0.4, NaN, 0.6]), 0, 1)).toBe(true);
  });
});
