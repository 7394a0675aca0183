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

/** Working memory of one fit. */
interface Scratch {
  /** Permutation of all rows, identity between trees. */
  perm: Uint32Array;
  /** Swap partner of each draw, to undo the shuffle. */
  swapped: Uint32Array;
  /** The sample, column-major, so that a node's min/max scan and partition read one column. */
  cols: Float64Array;
  /** Sample row ids; each node owns the range order[lo, hi). */
  order: Uint32Array;
  lo: Uint32Array;
  hi: Uint32Array;
  depth: Uint32Array;
  /** Features in the order they were last drawn; always a permutation. */
  featureOrder: Int32Array;
}

export function growForest(m: Matrix, o: ResolvedOptions): ForestCore {
  const psi = o.sampleSize;
  const rng = new Prng(o.seed);
  const out = new TreeBuffer(o.trees, psi);
  const scratch: Scratch = {
    perm: new Uint32Array(m.rows),
    swapped: new Uint32Array(psi),
    cols: new Float64Array(psi * m.features),
    order: new Uint32Array(psi),
    lo: new Uint32Array(2 * psi),
    hi: new Uint32Array(2 * psi),
    depth: new Uint32Array(2 * psi),
    featureOrder: new Int32Array(m.features),
  };
  for (let i = 0; i < m.rows; i++) scratch.perm[i] = i;
  for (let f = 0; f < m.features; f++) scratch.featureOrder[f] = f;
  for (let t = 0; t < o.trees; t++) {
    drawSample(m, psi, rng, scratch);
    growTree(psi, m.features, o.maxDepth, rng, scratch, out);
  }
  return out.finish({ features: m.features, sampleSize: psi, maxDepth: o.maxDepth, seed: o.seed });
}

/**
 * Copies ψ distinct rows into scratch.cols by a partial Fisher-Yates shuffle of scratch.perm, then
 * undoes the swaps, so a draw costs O(ψ) rather than O(rows) and depends only on the PRNG state.
 */
function drawSample(m: Matrix, psi: number, rng: Prng, s: Scratch): void {
  const { data, rows, features } = m;
  const { perm, swapped, cols, order } = s;
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
}

function growTree(psi: number, features: number, maxDepth: number, rng: Prng, s: Scratch, out: TreeBuffer): void {
  const { cols, order, lo, hi, depth, featureOrder } = s;
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
    if (b - a < 2 || depth[i]! >= maxDepth) {
      out.setLeaf(start + i, b - a);
      continue;
    }
    // Draw features without replacement until one varies in this node: the first varying one in a
    // random order is uniform among the varying ones, and a constant one is never split on.
    let f = -1;
    let min = 0;
    let max = 0;
    for (let remaining = features; remaining > 0 && f < 0; remaining--) {
      const k = rng.nextInt(remaining);
      const candidate = featureOrder[k]!;
      featureOrder[k] = featureOrder[remaining - 1]!;
      featureOrder[remaining - 1] = candidate;
      min = Infinity;
      max = -Infinity;
      const column = candidate * psi;
      // NaN fails both comparisons, so missing values never shape the split range.
      for (let p = a; p < b; p++) {
        const v = cols[column + order[p]!]!;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (min < max) f = candidate;
    }
    if (f < 0) {
      out.setLeaf(start + i, b - a);
      continue;
    }
    let split = min + rng.nextFloat() * (max - min);
    // Rounding (or an infinite range) can land outside (min, max]; max keeps both children non-empty.
    if (!(split > min && split <= max)) split = max;

    // Three-way partition of order[a, b): [< split | NaN | >= split].
    const column = f * psi;
    let lt = a;
    let gt = b;
    for (let p = a; p < gt; ) {
      const id = order[p]!;
      const v = cols[column + id]!;
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
    // Missing values join the larger side (ties: right), so a NaN makes a row look typical, never isolated.
    const nanRight = b - gt >= lt - a;
    const mid = nanRight ? lt : gt;
    out.setSplit(start + i, f, split, nanRight);
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
