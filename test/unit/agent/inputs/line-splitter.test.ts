import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../../agent/inputs/stdin/line-splitter.js';

function split(chunks: string[], max = 1000): string[] {
  const s = new LineSplitter(max);
  return [...chunks.flatMap((c) => s.push(c)), ...s.end()];
}

describe('stdin line splitter', () => {
  it('cuts on LF and CRLF, keeps a last line without newline, across chunk borders', () => {
    expect(split(['a\r', '\nb\n', 'c', 'd\r\ne'])).toEqual(['a', 'b', 'cd', 'e']);
  });

  it('keeps empty lines in the middle (the parser counts them) and adds none at the end', () => {
    expect(split(['a\n\nb\n'])).toEqual(['a', '', 'b']);
  });

  it('gives the same lines however the text is cut into chunks (property)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '\n', '\r\n', 'é', ' '), maxLength: 300 });
    fc.assert(
      fc.property(text, fc.array(fc.nat(300), { maxLength: 10 }), (t, cuts) => {
        const points = [...new Set(cuts.map((c) => Math.min(c, t.length)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let prev = 0;
        for (const p of points) {
          chunks.push(t.slice(prev, p));
          prev = p;
        }
        chunks.push(t.slice(prev));
        const expected = t.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
        if (expected[expected.length - 1] === '') expected.pop();
        expect(split(chunks)).toEqual(expected);
      }),
    );
  });

  it('hands a line that outgrows the limit on cut (too_long for the parser) and skips its rest', () => {
    const s = new LineSplitter(300);
    const out = [...s.push('x'.repeat(200)), ...s.push('x'.repeat(200)), ...s.push('y'.repeat(500)), ...s.push('z\nnext\n')];
    expect(out.map((l) => l.length)).toEqual([301, 4]);
    expect(out[1]).toBe('next');
    expect(s.oversize).toBe(1);
  });
});

describe('stdin line splitter limits', () => {
  it('cuts complete over-long lines the same way, whatever the chunking', () => {
    const whole = new LineSplitter(10);
    expect(whole.push(`${'a'.repeat(25)}\nb\n`)).toEqual(['a'.repeat(11), 'b']);
    expect(whole.oversize).toBe(1);
    const pieces = new LineSplitter(10);
    expect([...pieces.push('a'.repeat(5)), ...pieces.push(`${'a'.repeat(20)}\nb\n`)]).toEqual(['a'.repeat(11), 'b']);
  });

  it('keeps a line of exactly the limit whose CRLF is split across chunks', () => {
    const s = new LineSplitter(10);
    expect([...s.push(`${'a'.repeat(10)}\r`), ...s.push('\nb')]).toEqual(['a'.repeat(10)]);
    expect(s.end()).toEqual(['b']);
    expect(s.oversize).toBe(0);
  });
});
