/**
 * Rows as the model reads them: one row-major Float64Array and its column count. The number[][]
 * convenience is copied into that layout once, so the tree walks only ever see one array type.
 */
import { ModelError } from './errors.js';

/** The format packs a NaN-direction bit beside the feature index in 16 bits. */
export const MAX_FEATURES = 32767;

export interface Matrix {
  data: Float64Array;
  rows: number;
  features: number;
}

export function matrixFromFlat(data: Float64Array, features: number): Matrix {
  return { data, rows: rowCount(data, features), features };
}

/** Rows in a row-major Float64Array of `features` columns; checks the shape without allocating. */
export function rowCount(data: Float64Array, features: number): number {
  if (!Number.isInteger(features) || features < 1 || features > MAX_FEATURES) {
    throw new ModelError('LOWSLOW_MODEL_INPUT', `features must be an integer in [1, ${MAX_FEATURES}], got ${features}`);
  }
  if (data.length % features !== 0) {
    throw new ModelError(
      'LOWSLOW_MODEL_INPUT',
      `data length ${data.length} is not a multiple of features (${features})`,
    );
  }
  return data.length / features;
}

/** Copies rows into one Float64Array; every row must have `features` values (default: the first row's count). */
export function matrixFromRows(rows: readonly (readonly number[])[], features?: number): Matrix {
  if (features === undefined && rows.length === 0) throw new ModelError('LOWSLOW_MODEL_INPUT', 'no rows');
  const width = features ?? rows[0]!.length;
  if (width < 1 || width > MAX_FEATURES) {
    throw new ModelError('LOWSLOW_MODEL_INPUT', `rows must have 1 to ${MAX_FEATURES} features, got ${width}`);
  }
  const data = new Float64Array(rows.length * width);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    if (row.length !== width) {
      throw new ModelError('LOWSLOW_MODEL_INPUT', `row ${r} has ${row.length} values, expected ${width}`);
    }
    data.set(row, r * width);
  }
  return { data, rows: rows.length, features: width };
}

export function requireRows(m: Matrix): void {
  if (m.rows === 0) throw new ModelError('LOWSLOW_MODEL_INPUT', 'no rows');
}
