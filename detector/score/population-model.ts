/**
 * The population Isolation Forest of one partition: trained on recent closed windows of every
 * key in the partition (windows that alerted or were marked false positive are left out),
 * retrained on a schedule in event time, with its threshold taken from the training scores.
 * Event time alone decides when it trains, so replay and live train the same model, and one
 * detector or several (each owning some partitions) get the same models.
 */
import { createHash } from 'node:crypto';
import { IsolationForest } from '../model/index.js';
import { MODEL_COLUMNS } from './feature-row.js';

export interface PopulationModelOptions {
  /** Windows needed before the first training. @default 500 */
  minRows: number;
  /** Most recent windows kept for training. @default 20000 */
  maxRows: number;
  /** Event time between trainings. @default 24 h */
  retrainMs: number;
  /** Training-score quantile used as threshold. @default 0.995 */
  quantile: number;
  /** @default 1 */
  seed: number;
  /** Trees per forest (detection.model_trees). @default 100 */
  trees?: number;
  /** Subsample size ψ (detection.model_sample_size). @default 256 */
  sampleSize?: number;
  /**
   * A fixed forest used instead of fitting one (`lowslow backtest --model`): training then only
   * sets the threshold from the kept rows' scores. Must take MODEL_COLUMNS rows.
   */
  forest?: IsolationForest;
}

export interface ModelSnapshot {
  version: string;
  /** Event time of the training. */
  trained_at: number;
  threshold: number;
  rows: number;
  /** Base64 of IsolationForest.toBytes(). */
  forest: string;
}

const COLS = MODEL_COLUMNS.length;

export class PopulationModel {
  private readonly ring: Float64Array;
  private count = 0;
  private next = 0;
  forest: IsolationForest | null = null;
  snapshot: ModelSnapshot | null = null;

  constructor(private readonly opts: PopulationModelOptions) {
    this.ring = new Float64Array(opts.maxRows * COLS);
  }

  /** Keeps a training row (a copy). */
  observe(row: Float64Array): void {
    this.ring.set(row, this.next * COLS);
    this.next = (this.next + 1) % this.opts.maxRows;
    if (this.count < this.opts.maxRows) this.count++;
  }

  due(eventTime: number): boolean {
    if (this.count < this.opts.minRows) return false;
    return this.snapshot === null || eventTime - this.snapshot.trained_at >= this.opts.retrainMs;
  }

  /** Trains on the rows kept, oldest first, and sets the threshold from their scores. */
  train(eventTime: number): ModelSnapshot {
    const n = this.count;
    const data = new Float64Array(n * COLS);
    const start = this.count < this.opts.maxRows ? 0 : this.next;
    for (let i = 0; i < n; i++) {
      const r = (start + i) % this.opts.maxRows;
      data.set(this.ring.subarray(r * COLS, (r + 1) * COLS), i * COLS);
    }
    const forest = this.opts.forest ?? IsolationForest.fit(data, COLS, { trees: this.opts.trees ?? 100, sampleSize: this.opts.sampleSize ?? 256, seed: this.opts.seed });
    const scores = forest.score(data).slice().sort();
    const threshold = scores[Math.min(n - 1, Math.floor(this.opts.quantile * n))] as number;
    const bytes = forest.toBytes();
    const version = `if-${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}`;
    this.forest = forest;
    this.snapshot = { version, trained_at: eventTime, threshold, rows: n, forest: Buffer.from(bytes).toString('base64') };
    return this.snapshot;
  }

  load(s: ModelSnapshot): void {
    this.forest = IsolationForest.fromBytes(new Uint8Array(Buffer.from(s.forest, 'base64')));
    this.snapshot = s;
  }

  score(row: Float64Array): number {
    return this.forest ? this.forest.scoreRow(row) : 0;
  }
}
