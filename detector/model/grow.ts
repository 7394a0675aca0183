/**
 * Grows the isolation trees (Liu, Ting & Zhou 2008, Algorithms 1 and 2): per tree, ψ rows drawn
 * without replacement, then random splits breadth-first until a node holds one row, cannot be split,
 * or reaches the height limit. All scratch space is allocated once per fit, not per tree or node.
 */
import type { ForestCore } from './flat-forest.js';
import type { Matrix } from './input.js';
import type { ResolvedOptions } from './options.js';
import { Prng } from './prng.js';
import { TreeBuffer } from './tree-buffer.js';

export function growForest(m: Matrix, o: ResolvedOptions): ForestCore {
  const { data, rows, features } = m;
  const psi = o.sampleSize;
  const rng = new Prng(o.seed);
  const out = new TreeBuffer(o.trees, psi);
  // Identity permutation of all rows; each tree's partial Fisher-Yates shuffle is undone afterwards,
  // so drawing ψ rows costs O(ψ), not O(rows).
  const perm = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) perm[i] = i;
  const swapped = new Uint32Array(psi);
  // The sample, column-major, so that a node's min/max scan and partition read one column.
  const cols = new Float64Array(psi * features);
  const order = new Uint32Array(psi);
  const lo = new Uint32Array(2 * psi);
  const hi = new Uint32Array(2 * psi);
  const depth = new Uint32Array(2 * psi);
  const featureOrder = new Int32Array(features);
  for (let f = 0; f < features; f++) featureOrder[f] = f;

  for (let t = 0; t < o.trees; t++) {
    for (let i = 0; i < psi; i++) {
      const j = i + rng.nextInt(rows - i);
      swapped[i] = j;
      const r = perm[j]!;
      perm[j] = perm[i]!;
      perm[i] = r;
      const base = r * features;
      for (let f = 0; f < features; f++) cols[f * psi + i] = data[base + f]!;
      order[i] = i;
    }
    for (let i = psi - 1; i >= 0; i--) {
      const j = swapped[i]!;
      const r = perm[j]!;
      perm[j] = perm[i]!;
      perm[i] = r;
    }

    const start = out.beginTree();
    lo[0] = 0;
    hi[0] = psi;
    depth[0] = 0;
    let allocated = 1;
    // Breadth-first: node i is processed before any node allocated after it, which is the order
    // flat-forest.ts relies on to find children without stored offsets.
    for (let i = 0; i < allocated; i++) {
      const a = lo[i]!;
      const b = hi[i]!;
      const node = start + i;
      if (b - a < 2 || depth[i]! >= o.maxDepth) {
        out.setLeaf(node, b - a);
        continue;
      }
      // Draw features without replacement until one varies in this node: the first varying one
      // in a random order is uniform among the varying ones, and a constant one is never split on.
      let f = -1;
      let min = 0;
      let max = 0;
      for (let remaining = features; remaining > 0; remaining--) {
        const k = rng.nextInt(remaining);
        const candidate = featureOrder[k]!;
        featureOrder[k] = featureOrder[remaining - 1]!;
        featureOrder[remaining - 1] = candidate;
        min = Infinity;
        max = -Infinity;
        const colBase = candidate * psi;
        // NaN fails both comparisons, so missing values never shape the split range.
        for (let p = a; p < b; p++) {
          const v = cols[colBase + order[p]!]!;
          if (v < min) min = v;
          if (v > max) max = v;
        }
        if (min < max) {
          f = candidate;
          break;
        }
      }
      if (f < 0) {
        out.setLeaf(node, b - a);
        continue;
      }
      let split = min + rng.nextFloat() * (max - min);
      // Rounding (or an infinite range) can land outside (min, max]; max keeps both children non-empty.
      if (!(split > min && split <= max)) split = max;

      // Three-way partition of order[a, b): [< split | NaN | >= split].
      const colBase = f * psi;
      let lt = a;
      let gt = b;
      for (let p = a; p < gt; ) {
        const id = order[p]!;
        const v = cols[colBase + id]!;
        if (v < split) {
          order[p++] = order[lt]!;
          order[lt++] = id;
        } else if (v >= split) {
          order[p] = order[--gt]!;
          order[gt] = id;
        } else {
          p++;
        }
      }
      // Missing values join the larger side, so a NaN makes a row look typical, never isolated.
      const nanRight = b - gt >= lt - a;
      const mid = nanRight ? lt : gt;
      out.setSplit(node, f, split, nanRight);
      const left = allocated;
      allocated += 2;
      lo[left] = a;
      hi[left] = mid;
      lo[left + 1] = mid;
      hi[left + 1] = b;
      depth[left] = depth[left + 1] = depth[i]! + 1;
    }
    out.endTree(allocated);
  }
  return out.finish({ features, sampleSize: psi, maxDepth: o.maxDepth, seed: o.seed });
}
