import { describe, expect, it } from 'vitest';
import { JsonBytes, NUMBER_BYTES, putNumber, putString, stringBound } from '../../../agent/outputs/json-bytes.js';

function written(put: (buf: Buffer, pos: number) => number, bound: number): string {
  const out = new JsonBytes(4);
  out.reserve(bound);
  out.pos = put(out.buf, out.pos);
  expect(out.pos).toBeLessThanOrEqual(bound);
  return Buffer.from(out.copy()).toString('utf8');
}

describe('JSON bytes', () => {
  it('writes numbers as JSON.stringify does', () => {
    const numbers = [0, -0, 1, 9, 10, 99, 100, 2 ** 31 - 1, 2 ** 31, 1_793_600_000_005, 100_000_000, 1e8 + 7, 12_345_678_900_000, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 2 ** 60, 1e21, 0.5, -1, -(2 ** 31), 1.5e-7, Number.NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MAX_VALUE];
    for (const n of numbers) expect(written((b, p) => putNumber(b, p, n), NUMBER_BYTES), String(n)).toBe(JSON.stringify(n));
    for (let i = 0; i < 2000; i++) {
      const n = Math.floor(Math.random() * 2 ** (1 + (i % 53)));
      expect(written((b, p) => putNumber(b, p, n), NUMBER_BYTES)).toBe(JSON.stringify(n));
    }
  });

  it('writes strings as JSON.stringify does, within their bound', () => {
    const strings = ['', 'plain', '"', '\\', '\n\r\t\b\f', '\u0000\u001f', '\u007f', 'é', '€', '😀', '\ud800', 'a\udfffb', '\u2028', `x${'"'.repeat(50)}`, '\u0001'.repeat(40)];
    for (const s of strings) expect(written((b, p) => putString(b, p, s), stringBound(s)), JSON.stringify(s)).toBe(JSON.stringify(s));
  });

  it('grows and keeps what was written', () => {
    const out = new JsonBytes(8);
    for (let i = 0; i < 100; i++) {
      out.reserve(stringBound('abcdef') + 1);
      out.pos = putString(out.buf, out.pos, 'abcdef');
      out.buf[out.pos++] = 44;
    }
    expect(Buffer.from(out.copy()).toString()).toBe('"abcdef",'.repeat(100));
  });
});
