/**
 * Growable node storage for fit: trees are appended one after another and the arrays are trimmed
 * to the nodes actually used when the forest is done. Capacity doubles, so a large ψ does not
 * reserve trees × (2ψ - 1) nodes up front.
 */
import type { ForestCore } from './flat-forest.js';

export class TreeBuffer {
  private feature: Int32Array;
  private split: Float64Array;
  private nanRight: Uint8Array;
  private size: Uint32Array;
  private readonly treeStart: Uint32Array;
  private used = 0;
  private trees = 0;

  constructor(
    treeCount: number,
    private readonly maxNodesPerTree: number,
  ) {
    // A tree of ψ rows has at most ψ leaves, hence at most 2ψ - 1 nodes; most use about half that.
    const initial = Math.min(treeCount * maxNodesPerTree, 1 << 20);
    this.feature = new Int32Array(initial);
    this.split = new Float64Array(initial);
    this.nanRight = new Uint8Array(initial);
    this.size = new Uint32Array(initial);
    this.treeStart = new Uint32Array(treeCount + 1);
  }

  /** Reserves room for a whole tree and returns the index of its root. */
  beginTree(): number {
    const needed = this.used + this.maxNodesPerTree;
    if (needed > this.feature.length) this.grow(Math.max(needed, this.feature.length * 2));
    this.treeStart[this.trees] = this.used;
    return this.used;
  }

  setLeaf(node: number, rows: number): void {
    this.feature[node] = -1;
    this.split[node] = NaN;
    this.nanRight[node] = 0;
    this.size[node] = rows;
  }

  setSplit(node: number, feature: number, split: number, nanRight: boolean): void {
    this.feature[node] = feature;
    this.split[node] = split;
    this.nanRight[node] = nanRight ? 1 : 0;
    this.size[node] = 0;
  }

  endTree(nodes: number): void {
    this.used += nodes;
    this.trees++;
    this.treeStart[this.trees] = this.used;
  }

  finish(meta: Pick<ForestCore, 'features' | 'sampleSize' | 'maxDepth' | 'seed'>): ForestCore {
    const n = this.used;
    return {
      ...meta,
      treeCount: this.trees,
      treeStart: this.treeStart,
      feature: this.feature.slice(0, n),
      split: this.split.slice(0, n),
      nanRight: this.nanRight.slice(0, n),
      size: this.size.slice(0, n),
    };
  }

  private grow(capacity: number): void {
    const feature = new Int32Array(capacity);
    const split = new Float64Array(capacity);
    const nanRight = new Uint8Array(capacity);
    const size = new Uint32Array(capacity);
    feature.set(this.feature);
    split.set(this.split);
    nanRight.set(this.nanRight);
    size.set(this.size);
    this.feature = feature;
    this.split = split;
    this.nanRight = nanRight;
    this.size = size;
  }
}
