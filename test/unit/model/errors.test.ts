import { describe, expect, it } from 'vitest';
import { IsolationForest, MODEL_ERRORS, ModelError, type ModelErrorCode } from '../../../detector/model/index.js';

const rows = Float64Array.from({ length: 40 }, (_, i) => i % 7);
const model = IsolationForest.fit(rows, 4, { trees: 3 });
const newer = model.toBytes();
newer[4] = 0xff;

/** Every way the model can refuse, with the code it must carry. */
const provocations: [ModelErrorCode, string, () => unknown][] = [
  ['LOWSLOW_MODEL_INPUT', 'empty Float64Array', () => IsolationForest.fit(new Float64Array(0), 3)],
  ['LOWSLOW_MODEL_INPUT', 'empty rows', () => IsolationForest.fit([])],
  ['LOWSLOW_MODEL_INPUT', 'length not a multiple of features', () => IsolationForest.fit(new Float64Array(10), 3)],
  ['LOWSLOW_MODEL_INPUT', 'features missing for a Float64Array', () => (IsolationForest.fit as (data: unknown) => unknown)(new Float64Array(10))],
  ['LOWSLOW_MODEL_INPUT', 'features not a positive integer', () => IsolationForest.fit(new Float64Array(10), 0)],
  ['LOWSLOW_MODEL_INPUT', 'ragged rows', () => IsolationForest.fit([[1, 2], [3]])],
  ['LOWSLOW_MODEL_INPUT', 'a single row', () => IsolationForest.fit([[1, 2]])],
  ['LOWSLOW_MODEL_INPUT', 'score width mismatch', () => model.score(new Float64Array(6))],
  ['LOWSLOW_MODEL_INPUT', 'score rows of the wrong width', () => model.score([[1, 2, 3]])],
  ['LOWSLOW_MODEL_INPUT', 'out too small', () => model.score(rows, new Float64Array(2))],
  ['LOWSLOW_MODEL_INPUT', 'scoreRow past the end', () => model.scoreRow(rows, 38)],
  ['LOWSLOW_MODEL_INPUT', 'scoreRow negative offset', () => model.scoreRow(rows, -1)],
  ['LOWSLOW_MODEL_INPUT', 'explain short row', () => model.explain([1, 2])],
  ['LOWSLOW_MODEL_OPTION', 'ψ < 2', () => IsolationForest.fit(rows, 4, { sampleSize: 1 })],
  ['LOWSLOW_MODEL_OPTION', 'no trees', () => IsolationForest.fit(rows, 4, { trees: 0 })],
  ['LOWSLOW_MODEL_OPTION', 'fractional trees', () => IsolationForest.fit(rows, 4, { trees: 2.5 })],
  ['LOWSLOW_MODEL_OPTION', 'negative seed', () => IsolationForest.fit(rows, 4, { seed: -1 })],
  ['LOWSLOW_MODEL_OPTION', 'seed beyond uint32', () => IsolationForest.fit(rows, 4, { seed: 2 ** 32 })],
  ['LOWSLOW_MODEL_OPTION', 'zero height limit', () => IsolationForest.fit(rows, 4, { maxDepth: 0 })],
  ['LOWSLOW_MODEL_VERSION', 'newer format', () => IsolationForest.fromBytes(newer)],
  ['LOWSLOW_MODEL_CORRUPT', 'truncated bytes', () => IsolationForest.fromBytes(model.toBytes().subarray(0, 20))],
  ['LOWSLOW_MODEL_CORRUPT', 'not a Uint8Array', () => IsolationForest.fromBytes([1, 2] as unknown as Uint8Array)],
];

describe('model errors', () => {
  it.each(provocations)('%s for %s', (code, _what, provoke) => {
    let thrown: unknown;
    try {
      provoke();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ModelError);
    expect((thrown as ModelError).code).toBe(code);
    expect((thrown as ModelError).message.startsWith(MODEL_ERRORS[code])).toBe(true);
  });

  it('documents exactly the codes that can be thrown', () => {
    expect(new Set(provocations.map(([code]) => code))).toEqual(new Set(Object.keys(MODEL_ERRORS)));
  });

  it('names the option to change', () => {
    expect(() => IsolationForest.fit(rows, 4, { sampleSize: 1 })).toThrow(/sampleSize/);
    expect(() => IsolationForest.fit(rows, 4, { maxDepth: -2 })).toThrow(/maxDepth/);
  });
});
