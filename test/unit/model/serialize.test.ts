import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../detector/model/crc32.js';
import { FORMAT_VERSION, IsolationForest, type ModelError } from '../../../detector/model/index.js';
import { Prng } from '../../../detector/model/prng.js';

const FEATURES = 5;
const rng = new Prng(99);
const data = Float64Array.from({ length: 3000 * FEATURES }, () => rng.nextFloat() * 100 - 50);
for (let i = 0; i < data.length; i += 17) data[i] = NaN;
const model = IsolationForest.fit(data, FEATURES, { seed: 123 });
const bytes = model.toBytes();

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as ModelError).code;
  }
  return undefined;
}

/** Copy with the trailing CRC recomputed, to reach the structural checks behind it. */
function resealed(mutate: (b: Uint8Array, view: DataView) => void): Uint8Array {
  const b = bytes.slice();
  const view = new DataView(b.buffer);
  mutate(b, view);
  view.setUint32(b.length - 4, crc32(b, 0, b.length - 4), true);
  return b;
}

describe('model bytes', () => {
  it('load to a model with identical scores, options and bytes', () => {
    const loaded = IsolationForest.fromBytes(bytes);
    expect(loaded.score(data)).toEqual(model.score(data));
    expect(loaded.scoreRow([1, 2, NaN, 4, 5])).toBe(model.scoreRow([1, 2, NaN, 4, 5]));
    expect(loaded.explain(data, 5 * FEATURES)).toEqual(model.explain(data, 5 * FEATURES));
    expect([loaded.trees, loaded.sampleSize, loaded.maxDepth, loaded.seed, loaded.features]).toEqual([100, 256, 8, 123, 5]);
    expect(loaded.toBytes()).toEqual(bytes);
  });

  it('are compact: a 100-tree forest with ψ = 256 takes well under 400 KB', () => {
    expect(bytes.length).toBeLessThan(400_000);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('LSIF');
    expect(new DataView(bytes.buffer).getUint16(4, true)).toBe(FORMAT_VERSION);
  });

  it('load from a Buffer or a view into a larger buffer', () => {
    const padded = new Uint8Array(bytes.length + 11);
    padded.set(bytes, 7);
    expect(IsolationForest.fromBytes(padded.subarray(7, 7 + bytes.length)).score(data)).toEqual(model.score(data));
    expect(IsolationForest.fromBytes(Buffer.from(bytes)).toBytes()).toEqual(bytes);
  });

  it('from a newer format version are refused with LOWSLOW_MODEL_VERSION', () => {
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint16(4, FORMAT_VERSION + 1, true);
    expect(codeOf(() => IsolationForest.fromBytes(newer))).toBe('LOWSLOW_MODEL_VERSION');
    expect(() => IsolationForest.fromBytes(newer)).toThrow(/newer format/);
  });

  it('truncated at any length are refused with LOWSLOW_MODEL_CORRUPT', () => {
    for (let length = 0; length < bytes.length; length += length < 64 ? 1 : 997) {
      expect(codeOf(() => IsolationForest.fromBytes(bytes.subarray(0, length)))).toBe('LOWSLOW_MODEL_CORRUPT');
    }
    expect(codeOf(() => IsolationForest.fromBytes(bytes.subarray(0, bytes.length - 1)))).toBe('LOWSLOW_MODEL_CORRUPT');
  });

  it('with a flipped bit, a bad magic or trailing bytes are refused with LOWSLOW_MODEL_CORRUPT', () => {
    for (const at of [0, 9, 40, 1000, bytes.length - 2]) {
      const flipped = bytes.slice();
      flipped[at]! ^= 0x10;
      expect(codeOf(() => IsolationForest.fromBytes(flipped))).toBe('LOWSLOW_MODEL_CORRUPT');
    }
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(codeOf(() => IsolationForest.fromBytes(longer))).toBe('LOWSLOW_MODEL_CORRUPT');
    expect(codeOf(() => IsolationForest.fromBytes(new TextEncoder().encode('{"not":"a model"}')))).toBe(
      'LOWSLOW_MODEL_CORRUPT',
    );
  });

  it('that pass the checksum but describe an impossible forest are refused', () => {
    const cases: [string, (b: Uint8Array, v: DataView) => void][] = [
      ['feature beyond the row width', (_b, v) => v.setUint16(32, 0x7ffe, true)],
      ['zero features', (_b, v) => v.setUint32(8, 0, true)],
      ['wrong sample size', (_b, v) => v.setUint32(12, 255, true)],
      ['more trees than stored', (_b, v) => v.setUint32(16, 101, true)],
      ['height limit below the trees', (_b, v) => v.setUint16(20, 3, true)],
      ['huge node count', (_b, v) => v.setUint32(28, 0xffffffff, true)],
      ['reserved bits', (_b, v) => v.setUint16(6, 1, true)],
      ['NaN split', (_b, v) => v.setFloat64(34, NaN, true)],
    ];
    for (const [, mutate] of cases) {
      expect(codeOf(() => IsolationForest.fromBytes(resealed(mutate)))).toBe('LOWSLOW_MODEL_CORRUPT');
    }
  });
});
