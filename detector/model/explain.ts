/**
 * Per-row feature attribution for alert reasons. Each split on the row's path through each tree
 * earns its feature the bits of isolation it bought beyond an even halving:
 * max(0, log2(node rows / child rows) - 1). A split that keeps the row with half or more of its node
 * (the crowd, or the side a missing value follows) earns nothing; one that cuts the row off with a
 * few rows earns a lot. Plain bits would also credit every halving on the way down and spread the
 * credit of an outlier in one feature across all of them; depth weights would do worse, since the
 * feature that isolates an outlier does so near the root, in few splits. Credits are summed per
 * feature over the forest and normalised to sum to 1.
 */
import type { FlatForest } from './flat-forest.js';

/**
 * Credit per feature for the row at row[offset, offset + features), summing to 1; all zeros when
 * no split cut the row off from the larger part of a node (nothing isolated it, or a forest grown
 * on constant data).
 */
export function explainRow(
  forest: FlatForest,
  row: ArrayLike<number>,
  offset: number,
  out: Float64Array,
): Float64Array {
  const { treeCount, treeStart, feature, split, child, nanRight, size } = forest;
  out.fill(0);
  let total = 0;
  for (let t = 0; t < treeCount; t++) {
    let n = treeStart[t]!;
    for (let f = feature[n]!; f >= 0; f = feature[n]!) {
      const v = row[offset + f]!;
      const s = split[n]!;
      const next = child[n]! + (v < s ? 0 : v >= s ? 1 : nanRight[n]!);
      const ratio = size[n]! / size[next]!;
      if (ratio > 2) {
        const bits = Math.log2(ratio) - 1;
        out[f] = out[f]! + bits;
        total += bits;
      }
      n = next;
    }
  }
  if (total > 0) for (let f = 0; f < out.length; f++) out[f] = out[f]! / total;
  return out;
}

/**
 * Indices of the k features with the most credit, highest first (ties: lower index first); features
 * with no credit are left out, so fewer than k may come back.
 */
export function topFeatures(credit: ArrayLike<number>, k: number): number[] {
  const ranked: number[] = [];
  for (let f = 0; f < credit.length; f++) if (credit[f]! > 0) ranked.push(f);
  ranked.sort((a, b) => credit[b]! - credit[a]! || a - b);
  return ranked.slice(0, Math.max(0, k));
}
