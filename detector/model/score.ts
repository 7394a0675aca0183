/**
 * Path-length walks for scoring. No walk has a data-dependent branch: each takes a fixed number of
 * steps (leaves and padding send a walk back to itself or down to a copy of its leaf) and picks the
 * child with arithmetic on the comparison, so the CPU never mispredicts and overlaps the independent
 * walks written side by side below. Rows without NaN take the heap layout (heap-forest.ts), batches
 * of them in wasm (batch-walk.ts); rows with NaN, and forests too deep for the heap, take the
 * general layout, which knows where missing values go. `| 0` keeps index arithmetic in int32 so V8
 * drops its overflow checks.
 */
import type { BatchWalk } from './batch-walk.js';
import type { FlatForest } from './flat-forest.js';
import type { HeapForest } from './heap-forest.js';

/**
 * Writes s = 2^(-E[h(x)] / c(ψ)) for each of `rows` rows of `data` (row-major, forest.features
 * columns) into out[0, rows). Allocates nothing.
 */
export function scoreBatch(
  forest: FlatForest,
  batch: BatchWalk | null,
  data: Float64Array,
  rows: number,
  out: Float64Array,
): void {
  const features = forest.features;
  const normaliser = forest.normaliser;
  const blockRows = batch === null ? rows : batch.blockRows;
  for (let first = 0; first < rows; first += blockRows) {
    const last = Math.min(first + blockRows, rows);
    if (batch !== null && batch.load(data, first, last)) {
      batch.run(last - first);
      const sums = batch.sums;
      for (let r = first; r < last; r++) out[r] = scoreOf(sums[r - first]!, normaliser);
    } else {
      for (let r = first; r < last; r++) {
        generalPathSum(forest, data, r * features, out, r);
        out[r] = scoreOf(out[r]!, normaliser);
      }
    }
  }
}

/** s = 2^(-E[h(x)] / c(ψ)) from the summed path lengths; one formula so every path gives the same bits. */
export function scoreOf(pathSum: number, normaliser: number): number {
  return 2 ** (-pathSum / normaliser);
}

/**
 * Writes the sum of h(x) over all trees for the row at data[offset, offset + features) to
 * target[at]. The walks write rather than return their sum because V8 boxes a double returned from
 * a call it does not inline, and the single-row path is meant to allocate nothing.
 */
export function pathSum(
  forest: FlatForest,
  heap: HeapForest | null,
  data: Float64Array,
  offset: number,
  target: Float64Array,
  at: number,
): void {
  if (heap === null || hasNaN(data, offset, offset + forest.features)) generalPathSum(forest, data, offset, target, at);
  else heapRowPathSum(heap, data, offset, target, at);
}

function hasNaN(data: Float64Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (data[i] !== data[i]) return true;
  return false;
}

/** One row through all trees, TREE_LANES (8) trees side by side; heap.trees is a multiple of 8. */
function heapRowPathSum(heap: HeapForest, data: Float64Array, o: number, target: Float64Array, at: number): void {
  const { trees, depth, internalStride, feature, split, leaf } = heap;
  const leafStride = internalStride + 1;
  let sum = 0;
  for (let t = 0; t < trees; t += 8) {
    const b0 = t * internalStride;
    const b1 = b0 + internalStride;
    const b2 = b1 + internalStride;
    const b3 = b2 + internalStride;
    const b4 = b3 + internalStride;
    const b5 = b4 + internalStride;
    const b6 = b5 + internalStride;
    const b7 = b6 + internalStride;
    let n0 = 0, n1 = 0, n2 = 0, n3 = 0, n4 = 0, n5 = 0, n6 = 0, n7 = 0;
    for (let s = 0; s < depth; s += 2) {
      n0 = ((n0 << 1) + 1 + +(data[(o + feature[(b0 + n0) | 0]!) | 0]! >= split[(b0 + n0) | 0]!)) | 0;
      n1 = ((n1 << 1) + 1 + +(data[(o + feature[(b1 + n1) | 0]!) | 0]! >= split[(b1 + n1) | 0]!)) | 0;
      n2 = ((n2 << 1) + 1 + +(data[(o + feature[(b2 + n2) | 0]!) | 0]! >= split[(b2 + n2) | 0]!)) | 0;
      n3 = ((n3 << 1) + 1 + +(data[(o + feature[(b3 + n3) | 0]!) | 0]! >= split[(b3 + n3) | 0]!)) | 0;
      n4 = ((n4 << 1) + 1 + +(data[(o + feature[(b4 + n4) | 0]!) | 0]! >= split[(b4 + n4) | 0]!)) | 0;
      n5 = ((n5 << 1) + 1 + +(data[(o + feature[(b5 + n5) | 0]!) | 0]! >= split[(b5 + n5) | 0]!)) | 0;
      n6 = ((n6 << 1) + 1 + +(data[(o + feature[(b6 + n6) | 0]!) | 0]! >= split[(b6 + n6) | 0]!)) | 0;
      n7 = ((n7 << 1) + 1 + +(data[(o + feature[(b7 + n7) | 0]!) | 0]! >= split[(b7 + n7) | 0]!)) | 0;
      n0 = ((n0 << 1) + 1 + +(data[(o + feature[(b0 + n0) | 0]!) | 0]! >= split[(b0 + n0) | 0]!)) | 0;
      n1 = ((n1 << 1) + 1 + +(data[(o + feature[(b1 + n1) | 0]!) | 0]! >= split[(b1 + n1) | 0]!)) | 0;
      n2 = ((n2 << 1) + 1 + +(data[(o + feature[(b2 + n2) | 0]!) | 0]! >= split[(b2 + n2) | 0]!)) | 0;
      n3 = ((n3 << 1) + 1 + +(data[(o + feature[(b3 + n3) | 0]!) | 0]! >= split[(b3 + n3) | 0]!)) | 0;
      n4 = ((n4 << 1) + 1 + +(data[(o + feature[(b4 + n4) | 0]!) | 0]! >= split[(b4 + n4) | 0]!)) | 0;
      n5 = ((n5 << 1) + 1 + +(data[(o + feature[(b5 + n5) | 0]!) | 0]! >= split[(b5 + n5) | 0]!)) | 0;
      n6 = ((n6 << 1) + 1 + +(data[(o + feature[(b6 + n6) | 0]!) | 0]! >= split[(b6 + n6) | 0]!)) | 0;
      n7 = ((n7 << 1) + 1 + +(data[(o + feature[(b7 + n7) | 0]!) | 0]! >= split[(b7 + n7) | 0]!)) | 0;
    }
    // One add per tree in tree order, as in the other walks, so every path gives the same bits.
    const l0 = t * leafStride - internalStride;
    sum += leaf[(l0 + 0 * leafStride + n0) | 0]!;
    sum += leaf[(l0 + 1 * leafStride + n1) | 0]!;
    sum += leaf[(l0 + 2 * leafStride + n2) | 0]!;
    sum += leaf[(l0 + 3 * leafStride + n3) | 0]!;
    sum += leaf[(l0 + 4 * leafStride + n4) | 0]!;
    sum += leaf[(l0 + 5 * leafStride + n5) | 0]!;
    sum += leaf[(l0 + 6 * leafStride + n6) | 0]!;
    sum += leaf[(l0 + 7 * leafStride + n7) | 0]!;
  }
  target[at] = sum;
}

/** The general layout: any depth, and NaN follows the side its node recorded at fit time. */
function generalPathSum(forest: FlatForest, data: Float64Array, o: number, target: Float64Array, at: number): void {
  const { treeCount, treeStart, treeDepth, walkFeature, split, child, nanRight, leafPath } = forest;
  let sum = 0;
  for (let t = 0; t < treeCount; t++) {
    let n = treeStart[t]!;
    const steps = treeDepth[t]!;
    for (let s = 0; s < steps; s++) {
      const v = data[(o + walkFeature[n]!) | 0]!;
      // NaN fails >=, so it takes the left child unless the node says missing values go right.
      n = (child[n]! + (+(v >= split[n]!) | (+(v !== v) & nanRight[n]!))) | 0;
    }
    sum += leafPath[n]!;
  }
  target[at] = sum;
}
