/**
 * The model's public class: fit, score, explain, save and load. It holds the forest in two layouts
 * (flat-forest.ts, and heap-forest.ts for speed, also in wasm memory for batches: batch-walk.ts)
 * and routes each call to the work files.
 */
import { BatchWalk } from './batch-walk.js';
import { ModelError } from './errors.js';
import { explainRow } from './explain.js';
import { deriveForest, type FlatForest } from './flat-forest.js';
import { growForest } from './grow.js';
import { buildHeapForest, type HeapForest } from './heap-forest.js';
import { matrixFromFlat, matrixFromRows, requireRows, rowCount, type Matrix } from './input.js';
import { resolveOptions, type IsolationForestOptions } from './options.js';
import { pathSum, scoreBatch, scoreOf } from './score.js';
import { forestFromBytes, forestToBytes } from './serialize.js';

/** Rows as a row-major Float64Array (fast path) or as arrays of numbers (copied once). */
export type Rows = Float64Array | readonly (readonly number[])[];

export class IsolationForest {
  private readonly forest: FlatForest;
  /** The fast layout for rows without NaN; null when the forest is too deep for it. */
  private readonly heap: HeapForest | null;
  /** The heap layout's batch walk; null with the heap. */
  private readonly batch: BatchWalk | null;
  /** Reused to copy a number[] row so the single-row walk only ever reads a Float64Array. */
  private readonly rowScratch: Float64Array;
  /** Receives a single row's path-length sum (see pathSum in score.ts). */
  private readonly sumScratch = new Float64Array(1);

  private constructor(forest: FlatForest) {
    this.forest = forest;
    this.heap = buildHeapForest(forest);
    this.batch = this.heap === null ? null : new BatchWalk(this.heap, forest.treeCount, forest.features);
    this.rowScratch = new Float64Array(forest.features);
  }

  /**
   * Grows a forest on `data`, row-major with `features` columns per row.
   * @throws ModelError LOWSLOW_MODEL_INPUT (no rows, fewer than 2, length not a multiple of
   * features), LOWSLOW_MODEL_OPTION (see {@link IsolationForestOptions}).
   */
  static fit(data: Float64Array, features: number, options?: IsolationForestOptions): IsolationForest;
  /** Grows a forest on rows of equal length. */
  static fit(rows: readonly (readonly number[])[], options?: IsolationForestOptions): IsolationForest;
  static fit(
    data: Rows,
    featuresOrOptions?: number | IsolationForestOptions,
    maybeOptions?: IsolationForestOptions,
  ): IsolationForest {
    let m: Matrix;
    let options: IsolationForestOptions;
    if (data instanceof Float64Array) {
      if (typeof featuresOrOptions !== 'number') {
        throw new ModelError('LOWSLOW_MODEL_INPUT', 'fit(Float64Array) needs the number of features per row');
      }
      m = matrixFromFlat(data, featuresOrOptions);
      options = maybeOptions ?? {};
    } else {
      if (!Array.isArray(data)) {
        throw new ModelError('LOWSLOW_MODEL_INPUT', 'rows must be a Float64Array or number[][]');
      }
      m = matrixFromRows(data);
      options = (typeof featuresOrOptions === 'object' ? featuresOrOptions : undefined) ?? {};
    }
    requireRows(m);
    return new IsolationForest(deriveForest(growForest(m, resolveOptions(options, m.rows))));
  }

  /**
   * Loads a model written by {@link toBytes}.
   * @throws ModelError LOWSLOW_MODEL_VERSION (written by a newer format) or LOWSLOW_MODEL_CORRUPT.
   */
  static fromBytes(bytes: Uint8Array): IsolationForest {
    return new IsolationForest(forestFromBytes(bytes));
  }

  /** Columns per row the model was trained on. */
  get features(): number {
    return this.forest.features;
  }
  get trees(): number {
    return this.forest.treeCount;
  }
  /** Effective ψ: the sampleSize option capped at the training row count. */
  get sampleSize(): number {
    return this.forest.sampleSize;
  }
  get maxDepth(): number {
    return this.forest.maxDepth;
  }
  get seed(): number {
    return this.forest.seed;
  }

  /**
   * Anomaly score per row, in (0, 1]: near 1 isolated quickly, well below 0.5 normal. Pass `out`
   * (at least one slot per row) to score without allocating; the result is `out`.
   */
  score(rows: Rows, out?: Float64Array): Float64Array {
    const features = this.forest.features;
    // No Matrix object on the Float64Array path: a batch allocates nothing when `out` is given.
    const data = rows instanceof Float64Array ? rows : matrixFromRows(rows, features).data;
    const count = rowCount(data, features);
    const target = out ?? new Float64Array(count);
    if (target.length < count) {
      throw new ModelError('LOWSLOW_MODEL_INPUT', `out has ${target.length} slots for ${count} rows`);
    }
    scoreBatch(this.forest, this.batch, data, count, target);
    return target;
  }

  /**
   * Score of one row at row[offset, offset + features), e.g. one row of a batch. Allocates nothing.
   */
  scoreRow(row: Float64Array | readonly number[], offset = 0): number {
    const data = this.rowView(row, offset);
    const start = data === row ? offset : 0;
    pathSum(this.forest, this.heap, data, start, this.sumScratch, 0);
    return scoreOf(this.sumScratch[0]!, this.forest.normaliser);
  }

  /**
   * Which features isolated the row at row[offset, offset + features): a new array of credit per
   * feature summing to 1 (see explain.ts); {@link topFeatures} turns it into the alert's reasons.
   */
  explain(row: Float64Array | readonly number[], offset = 0): Float64Array {
    this.checkRow(row, offset);
    return explainRow(this.forest, row, offset, new Float64Array(this.forest.features));
  }

  /** The model in the versioned binary format of serialize.ts. */
  toBytes(): Uint8Array {
    return forestToBytes(this.forest);
  }

  private rowView(row: Float64Array | readonly number[], offset: number): Float64Array {
    this.checkRow(row, offset);
    if (row instanceof Float64Array) return row;
    const scratch = this.rowScratch;
    for (let f = 0; f < scratch.length; f++) scratch[f] = row[offset + f]!;
    return scratch;
  }

  private checkRow(row: Float64Array | readonly number[], offset: number): void {
    if (!(offset >= 0 && offset + this.forest.features <= row.length) || !Number.isInteger(offset)) {
      throw new ModelError(
        'LOWSLOW_MODEL_INPUT',
        `row of length ${row.length} at offset ${offset} does not hold ${this.forest.features} features`,
      );
    }
  }
}
