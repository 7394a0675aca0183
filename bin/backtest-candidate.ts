/**
 * What `lowslow backtest --model FILE` tries beside the running config. FILE is one of:
 * - a candidate (YAML or JSON, contracts/backtest-candidate.v1.json): `detection:` settings that
 *   replace the running ones (threshold, window_minutes, model_trees, model_sample_size, …), and/or
 *   `model:` naming a model file relative to it;
 * - a model file itself: an Isolation Forest in its binary format (starts with "LSIF",
 *   detector/model/serialize.ts), or a model snapshot as the detector stores it in Redis
 *   (`<prefix>:{p<N>}:model`: JSON with version, threshold and the forest in base64).
 * A model given is used by every partition for the whole backtest and never retrained; a forest's
 * threshold comes from each partition's windows (detection.model_quantile), a snapshot brings its own.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { describeError, validateBacktestCandidate, validateConfig, type Config } from '../contracts/index.js';
import { IsolationForest } from '../detector/model/index.js';
import { MODEL_COLUMNS } from '../detector/score/feature-row.js';
import type { ModelSnapshot } from '../detector/score/population-model.js';
import { BacktestError } from './errors.js';

export interface CandidateModel {
  kind: 'forest' | 'snapshot';
  file: string;
  version: string;
  forest: IsolationForest;
  /** Snapshots only: as stored, with its threshold. */
  snapshot: ModelSnapshot | null;
}

export interface Candidate {
  file: string;
  /** The running config with the candidate's detection settings in place. */
  config: Config;
  /** detection fields the candidate changes. */
  changed: string[];
  model: CandidateModel | null;
}

const MAGIC = 'LSIF';

function read(file: string, what: 'CANDIDATE' | 'MODEL'): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new BacktestError(`LOWSLOW_BACKTEST_${what}`, `${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
  }
}

/** YAML (so JSON too); problems by code and place only, never quoting the file. */
function parseText(file: string, text: string): unknown {
  const doc = parseDocument(text, { logLevel: 'error' });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const at = problem.linePos?.[0];
    throw new BacktestError('LOWSLOW_BACKTEST_CANDIDATE', `${file}: not valid YAML or JSON: ${problem.code.toLowerCase().replaceAll('_', ' ')}${at ? ` at line ${at.line}, column ${at.col}` : ''}`);
  }
  try {
    return doc.toJS();
  } catch {
    throw new BacktestError('LOWSLOW_BACKTEST_CANDIDATE', `${file}: cannot be read as data`);
  }
}

function isSnapshot(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && 'forest' in x && 'threshold' in x;
}

function checkForest(file: string, forest: IsolationForest): IsolationForest {
  if (forest.features !== MODEL_COLUMNS.length) {
    throw new BacktestError('LOWSLOW_BACKTEST_MODEL', `${file}: the forest takes rows of ${forest.features} features; the detector's windows have ${MODEL_COLUMNS.length} (${MODEL_COLUMNS.join(', ')})`);
  }
  return forest;
}

function snapshotModel(file: string, s: Record<string, unknown>): CandidateModel {
  const { version, threshold, forest } = s;
  if (typeof version !== 'string' || version === '') throw new BacktestError('LOWSLOW_BACKTEST_MODEL', `${file}: version: must be a string`);
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) throw new BacktestError('LOWSLOW_BACKTEST_MODEL', `${file}: threshold: must be a number in [0, 1]`);
  if (typeof forest !== 'string') throw new BacktestError('LOWSLOW_BACKTEST_MODEL', `${file}: forest: must be the base64 of the forest's bytes`);
  const f = checkForest(file, IsolationForest.fromBytes(new Uint8Array(Buffer.from(forest, 'base64'))));
  const snapshot: ModelSnapshot = {
    version,
    trained_at: typeof s.trained_at === 'number' ? s.trained_at : 0,
    threshold,
    rows: typeof s.rows === 'number' ? s.rows : 0,
    forest,
  };
  return { kind: 'snapshot', file, version, forest: f, snapshot };
}

/** A model file: LSIF bytes or a snapshot's JSON. */
export function loadModel(file: string): CandidateModel {
  const bytes = read(file, 'MODEL');
  if (bytes.subarray(0, 4).toString('latin1') === MAGIC) {
    const forest = checkForest(file, IsolationForest.fromBytes(new Uint8Array(bytes)));
    return { kind: 'forest', file, version: `file-${file.split('/').pop() ?? file}`, forest, snapshot: null };
  }
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new BacktestError('LOWSLOW_BACKTEST_MODEL', `${file}: neither an Isolation Forest (LSIF) nor a model snapshot (JSON)`);
  }
  if (!isSnapshot(data)) throw new BacktestError('LOWSLOW_BACKTEST_MODEL', `${file}: a model snapshot needs version, threshold and forest`);
  return snapshotModel(file, data);
}

export function loadCandidate(file: string, current: Config): Candidate {
  const bytes = read(file, 'CANDIDATE');
  if (bytes.subarray(0, 4).toString('latin1') === MAGIC) return { file, config: current, changed: [], model: loadModel(file) };
  const data = parseText(file, bytes.toString('utf8'));
  if (isSnapshot(data)) return { file, config: current, changed: [], model: snapshotModel(file, data) };
  if (data === null || data === undefined || typeof data !== 'object' || Array.isArray(data)) {
    throw new BacktestError('LOWSLOW_BACKTEST_CANDIDATE', `${file}: must hold detection settings and/or model`);
  }
  if (!validateBacktestCandidate(data)) throw new BacktestError('LOWSLOW_BACKTEST_CANDIDATE', `${file}: ${describeError(validateBacktestCandidate.errors)}`);
  const detection = data.detection ?? {};
  const config = structuredClone(current);
  Object.assign(config.detection, detection);
  // Cross-field rules and anything the partial schema cannot say are the config's own.
  if (!validateConfig(config)) throw new BacktestError('LOWSLOW_BACKTEST_CANDIDATE', `${file}: ${describeError(validateConfig.errors)}`);
  const changed = Object.keys(detection)
    .filter((k) => (detection as Record<string, unknown>)[k] !== (current.detection as Record<string, unknown>)[k])
    .sort();
  const model = data.model === undefined ? null : loadModel(resolve(dirname(file), data.model));
  if (changed.length === 0 && model === null) throw new BacktestError('LOWSLOW_BACKTEST_CANDIDATE', `${file}: changes nothing (no detection setting differs from the running config, no model)`);
  return { file, config, changed, model };
}
