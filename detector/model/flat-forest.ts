/**
 * The forest as flat typed arrays, one slot per node across all trees. Each tree is stored in
 * breadth-first order with a node's two children side by side, so the k-th internal node of a tree
 * has its children at treeStart + 1 + 2k: the format need not store child offsets, and fit and load
 * both derive every other array here, which is what makes a loaded model score bit for bit the same.
 */
import { averagePathLength } from './path-length.js';

/** What fit produces and the format stores. */
export interface ForestCore {
  features: number;
  /** Effective ψ (capped at the training row count); c(ψ) normalises scores. */
  sampleSize: number;
  maxDepth: number;
  seed: number;
  treeCount: number;
  /** First node of each tree, plus the total node count at [treeCount]. */
  treeStart: Uint32Array;
  /** Split feature, or -1 at a leaf. */
  feature: Int32Array;
  /** Rows with value < split go left, the rest right; NaN at a leaf. */
  split: Float64Array;
  /** 1 where a missing (NaN) value goes right: the side that took more of the node's sample (ties: right). */
  nanRight: Uint8Array;
  /** Training rows that reached the node (leaves are stored; internal nodes are summed). */
  size: Uint32Array;
}

/** Derived arrays used by the walks. */
export interface FlatForest extends ForestCore {
  /** Left child; a leaf points at itself so that a fixed-length walk stays put once it lands. */
  child: Uint32Array;
  /** Feature to read on each step; 0 at leaves, whose NaN split sends every value back to the leaf. */
  walkFeature: Int32Array;
  /** Depth of the deepest leaf per tree: the exact number of steps of a walk. */
  treeDepth: Uint32Array;
  /** h(x) at a leaf: its depth plus c(leaf size), the expected depth of the unbuilt subtree. */
  leafPath: Float64Array;
  /** treeCount * c(ψ): a row's summed path lengths divided by this is E[h(x)] / c(ψ). */
  normaliser: number;
}

export function deriveForest(core: ForestCore): FlatForest {
  const { treeCount, treeStart, feature, split, size } = core;
  const nodes = feature.length;
  const child = new Uint32Array(nodes);
  const walkFeature = new Int32Array(nodes);
  const treeDepth = new Uint32Array(treeCount);
  const leafPath = new Float64Array(nodes);
  const depth = new Uint32Array(nodes);
  for (let t = 0; t < treeCount; t++) {
    const start = treeStart[t]!;
    const end = treeStart[t + 1]!;
    let internal = 0;
    let deepest = 0;
    for (let n = start; n < end; n++) {
      const f = feature[n]!;
      if (f < 0) {
        child[n] = n;
        leafPath[n] = depth[n]! + averagePathLength(size[n]!);
        if (depth[n]! > deepest) deepest = depth[n]!;
        continue;
      }
      const left = start + 1 + 2 * internal++;
      child[n] = left;
      walkFeature[n] = f;
      depth[left] = depth[left + 1] = depth[n]! + 1;
    }
    treeDepth[t] = deepest;
    // Children follow their parent, so a backward pass sums sizes bottom-up.
    for (let n = end - 1; n >= start; n--) {
      if (feature[n]! >= 0) size[n] = size[child[n]!]! + size[child[n]! + 1]!;
    }
  }
  for (let n = 0; n < nodes; n++) if (feature[n]! < 0) split[n] = NaN;
  return {
    ...core,
    child,
    walkFeature,
    treeDepth,
    leafPath,
    normaliser: treeCount * averagePathLength(core.sampleSize),
  };
}
