/**
 * Options of {@link IsolationForest.fit}, checked before any work so a bad value fails fast with
 * LOWSLOW_MODEL_OPTION and the name of the option to change.
 */
import { ModelError } from './errors.js';

export interface IsolationForestOptions {
  /**
   * Number of isolation trees. The paper finds path lengths converge well within 100.
   * @default 100
   */
  trees?: number;
  /**
   * Subsample size ψ: rows drawn without replacement for each tree, at least 2. Capped at the
   * number of training rows. Small subsamples are what lets isolation avoid swamping and masking.
   * @default 256
   */
  sampleSize?: number;
  /**
   * PRNG seed, an integer in [0, 2^32). Same seed, same data and options: same forest, same bytes.
   * @default 1
   */
  seed?: number;
  /**
   * Height limit of every tree; deeper structure only separates normal rows from each other.
   * @default ceil(log2 ψ)
   */
  maxDepth?: number;
}

/** Options after defaults and the cap of ψ at the row count. */
export interface ResolvedOptions {
  trees: number;
  sampleSize: number;
  seed: number;
  maxDepth: number;
}

/** The format stores the height limit in 16 bits; no useful tree comes near it. */
const MAX_DEPTH_LIMIT = 65535;

export function resolveOptions(options: IsolationForestOptions, rows: number): ResolvedOptions {
  const trees = options.trees ?? 100;
  const requested = options.sampleSize ?? 256;
  const seed = options.seed ?? 1;
  requireInteger('trees', trees, 1, 0xffffffff);
  requireInteger('sampleSize', requested, 2, 0xffffffff);
  requireInteger('seed', seed, 0, 0xffffffff);
  const sampleSize = Math.min(requested, rows);
  if (sampleSize < 2) {
    throw new ModelError('LOWSLOW_MODEL_INPUT', `fit needs at least 2 rows, got ${rows}`);
  }
  const maxDepth = options.maxDepth ?? Math.ceil(Math.log2(sampleSize));
  requireInteger('maxDepth', maxDepth, 1, MAX_DEPTH_LIMIT);
  return { trees, sampleSize, seed, maxDepth };
}

function requireInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ModelError('LOWSLOW_MODEL_OPTION', `${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}
