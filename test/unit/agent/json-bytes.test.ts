import { describe, expect, it } from 'vitest';
import { chunk, JsonBytes, NUMBER_BYTES, putChunk, putNumber, putSafeString, putString, stringBound } from '../../../agent/outputs/json-bytes.js';
import { seeded } from '../../support/seeded.js';

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
    // Every digit count on both sides of its boundary (the writer counts digits by comparisons).
    for (let k = 1; k <= 16; k++) numbers.push(10 ** k - 1, 10 ** k, 10 ** k + 1, 2 * 10 ** k - 1);
    for (const n of numbers) expect(written((b, p) => putNumber(b, p, n), NUMBER_BYTES), String(n)).toBe(JSON.stringify(n));
    const next = seeded(20261201);
    for (let i = 0; i < 5000; i++) {
      const n = Math.floor(next() * 2 ** (1 + (i % 53)));
      expect(written((b, p) => putNumber(b, p, n), NUMBER_BYTES)).toBe(JSON.stringify(n));
    }
  });

  it('writes strings as JSON.stringify does, within their bound', () => {
    const long = 'GET /v1/customers?page=2 Mozilla/5.0 (X11; Linux x86_64) ~!#$%^&*()_+={}[]|:;<>,.?/';
    const strings = ['', 'plain', '"', '\\', '\n\r\t\b\f', '\u0000\u001f', '\u007f', 'é', '€', '😀', '\ud800', 'a\udfffb', '\u2028', `x${'"'.repeat(50)}`, '\u0001'.repeat(40),
      // Long strings take the native check and copy; one character anywhere sends them back to the loop.
      long, long.slice(0, 40), long.slice(0, 39), `${long}"`, `\\${long}`, `${long}é`, `${long}\u007f`, `${long}\n`, `${long}😀`, `${long.slice(0, 20)}\u0000${long.slice(20)}`];
    for (const s of strings) expect(written((b, p) => putString(b, p, s), stringBound(s)), JSON.stringify(s)).toBe(JSON.stringify(s));
  });

  it('writes safe strings as JSON.stringify does', () => {
    for (const s of ['', 'GET', 'd2f1c0a0e3b94f7c8a6d5e4f3a2b1c0d', '10.1.2.3', '2001:db8::1', 'aAd', 'page', 'filter[status]', '{name}']) {
      expect(written((b, p) => putSafeString(b, p, s), stringBound(s))).toBe(JSON.stringify(s));
    }
  });

  it('writes chunks of every length at any position, also after the buffer grew', () => {
    const out = new JsonBytes(3);
    let expected = '';
    for (let n = 0; n <= 13; n++) {
      const text = '{"key":[1],}'.repeat(2).slice(0, n);
      const c = chunk(text);
      expect(c.bytes).toBe(n);
      // Odd positions too: the 32-bit stores are unaligned.
      out.reserve(c.bytes + 1);
      out.buf[out.pos++] = 120;
      out.pos = putChunk(out.view, out.buf, out.pos, c);
      expected += `x${text}`;
    }
    expect(Buffer.from(out.copy()).toString('latin1')).toBe(expected);
    expect(() => chunk('é')).toThrow(/not ASCII/);
  });

  it('writes chunks into a buffer handed over with use(), not the one before', () => {
    const out = new JsonBytes(64);
    const before = out.buf;
    const next = Buffer.alloc(64, 0);
    out.use(next);
    out.pos = putChunk(out.view, out.buf, 0, chunk('"abcdefgh"'));
    expect(next.toString('latin1', 0, out.pos)).toBe('"abcdefgh"');
    expect(before).not.toBe(next);
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
