import { describe, expect, it } from 'vitest';
import { scanByChar, scanTokens, SLOTS } from '../../../agent/parsers/text-fields.js';
import { seeded } from '../../support/seeded.js';

const PIECES = [' ', ' ', '"', '"', '\\', '\\"', '\\\\', 'a', 'GET /x HTTP/1.1', '-', '[17/May/2015:10:05:03', '+0000]', '" ', ' "', '""', 'é', '😀', '200', 'x"y'];

describe('token scanner', () => {
  it('the indexOf path gives the same tokens as the character walk on lines without tabs', () => {
    const r = seeded(11);
    for (let i = 0; i < 20_000; i++) {
      let line = '';
      const pieces = Math.floor(r() * 24);
      for (let p = 0; p < pieces; p++) line += PIECES[Math.floor(r() * PIECES.length)];
      const slots = SLOTS * (1 + Math.floor(r() * 12));
      const from = r() < 0.2 ? Math.floor(r() * (line.length + 1)) : 0;
      const fast = new Int32Array(slots);
      const slow = new Int32Array(slots);
      const n = scanTokens(line, from, fast);
      expect(n, JSON.stringify(line)).toBe(scanByChar(line, from, slow));
      expect([...fast.subarray(0, n * SLOTS)], JSON.stringify(line)).toEqual([...slow.subarray(0, n * SLOTS)]);
    }
  });

  it('splits a combined line into its fields', () => {
    const line = '10.0.0.1 - - [17/May/2015:10:05:03 +0000] "GET /a?b=\\"c\\" HTTP/1.1" 200 12 "-" "Mozilla "q"x/5.0"';
    const out = new Int32Array(SLOTS * 16);
    const n = scanTokens(line, 0, out);
    const texts = Array.from({ length: n }, (_, t) => line.slice(out[t * SLOTS], out[t * SLOTS + 1]));
    expect(texts).toEqual(['10.0.0.1', '-', '-', '[17/May/2015:10:05:03', '+0000]', 'GET /a?b=\\"c\\" HTTP/1.1', '200', '12', '-', 'Mozilla "q"x/5.0']);
  });
});
