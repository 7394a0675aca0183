import { describe, expect, it } from 'vitest';
import { deriveForest } from '../../../detector/model/flat-forest.js';
import { growForest } from '../../../detector/model/grow.js';
import { buildHeapForest, HEAP_MAX_DEPTH } from '../../../detector/model/heap-forest.js';
import { resolveOptions } from '../../../detector/model/options.js';
import { Prng } from '../../../detector/model/prng.js';
import { pathSum } from '../../../detector/model/score.js';

function forestOn(rows: number, features: number, maxDepth?: number) {
  const rng = new Prng(rows);
  const data = Float64Array.from({ length: rows * features }, () => rng.nextFloat());
  const options = resolveOptions({ trees: 13, sampleSize: rows, maxDepth }, rows);
  return { data, forest: deriveForest(growForest({ data, rows, features }, options)) };
}

describe('buildHeapForest', () => {
  it('walks to the same path lengths as the general layout', () => {
    const { data, forest } = forestOn(300, 4, 9);
    const heap = buildHeapForest(forest);
    expect(heap).not.toBeNull();
    const rng = new Prng(5);
    // Rows beyond the training range too, so walks also run through padding below shallow leaves.
    const probe = Float64Array.from({ length: 4000 }, () => 3 * rng.nextFloat() - 1);
    for (const rows of [data, probe]) {
      const sums = new Float64Array(2);
      for (let o = 0; o < rows.length; o += 4) {
        pathSum(forest, heap, rows, o, sums, 0);
        pathSum(forest, null, rows, o, sums, 1);
        expect(sums[0]).toBe(sums[1]);
      }
    }
  });

  it('declines forests deeper than HEAP_MAX_DEPTH', () => {
    const { forest } = forestOn(2000, 2, HEAP_MAX_DEPTH + 5);
    expect(Math.max(...forest.treeDepth)).toBeGreaterThan(HEAP_MAX_DEPTH);
    expect(buildHeapForest(forest)).toBeNull();
  });
});
