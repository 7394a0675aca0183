/**
 * The outlier-detection benchmark sets of /work/shared/data/odds (see its SOURCES.md): CSVs with a
 * header f0..f{d-1},label, label 1 = anomaly, some gzip-compressed. Set LOWSLOW_ODDS_DIR to read
 * them elsewhere; tests skip when the folder is absent.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SHARED_DATA } from './shared-data.js';

export const ODDS_DIR = process.env.LOWSLOW_ODDS_DIR ?? join(SHARED_DATA, 'odds');
export const IF_PAPER_DIR = join(ODDS_DIR, 'if-paper');

/**
 * iForest AUCs of Liu, Ting & Zhou (ICDM 2008) Table 3 (reference-auc/liu2008_icdm_table3.csv),
 * keyed by our file names. Mulcross (0.97) has no copy here.
 */
export const PAPER_AUC: Readonly<Record<string, number>> = {
  http: 1.0,
  forestcover: 0.88,
  mulcross: 0.97,
  smtp: 0.88,
  shuttle: 1.0,
  mammography: 0.86,
  annthyroid: 0.82,
  satellite: 0.71,
  pima: 0.67,
  breastw: 0.99,
  arrhythmia: 0.8,
  ionosphere: 0.85,
};

export interface OddsSet {
  name: string;
  rows: number;
  features: number;
  /** Row-major feature values. */
  data: Float64Array;
  /** 1 = anomaly. */
  labels: Uint8Array;
}

/** Names (file name without .csv / .csv.gz) of the paper's sets present on disk, largest first. */
export function ifPaperSets(): string[] {
  if (!existsSync(IF_PAPER_DIR)) return [];
  return readdirSync(IF_PAPER_DIR)
    .filter((f) => /\.csv(\.gz)?$/.test(f))
    .map((f) => f.replace(/\.csv(\.gz)?$/, ''))
    .sort((a, b) => Object.keys(PAPER_AUC).indexOf(a) - Object.keys(PAPER_AUC).indexOf(b));
}

export function loadOddsSet(name: string, dir = IF_PAPER_DIR): OddsSet {
  const plain = join(dir, `${name}.csv`);
  const text = existsSync(plain)
    ? readFileSync(plain, 'latin1')
    : gunzipSync(readFileSync(join(dir, `${name}.csv.gz`))).toString('latin1');
  const lines = text.split('\n');
  const header = lines[0]!.trim().split(',');
  if (header[header.length - 1] !== 'label') throw new Error(`${name}: last column is not label`);
  const features = header.length - 1;
  let rows = 0;
  while (rows + 1 < lines.length && lines[rows + 1]!.trim() !== '') rows++;
  const data = new Float64Array(rows * features);
  const labels = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const cells = lines[r + 1]!.split(',');
    if (cells.length !== features + 1) throw new Error(`${name}: line ${r + 2} has ${cells.length} cells`);
    for (let f = 0; f < features; f++) data[r * features + f] = Number(cells[f]);
    labels[r] = Number(cells[features]) === 1 ? 1 : 0;
  }
  return { name, rows, features, data, labels };
}
