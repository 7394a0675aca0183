/**
 * Golden cases: test/fixtures/parsers/<parser>--<case>/ holds input.log, expected.json (one
 * RawRecord or rejection reason per input line) and SOURCE.md (where the input comes from).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsers } from '../../../agent/parsers/index.js';

const ROOT = new URL('../../fixtures/parsers/', import.meta.url);
const PARSE = { maxLineBytes: 65536, keyHeaders: ['x-api-key'], bearer: true };

/** Lines of input.log as an input hands them over: split on \n, a final newline ends the last line. */
function inputLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const cases = readdirSync(ROOT).sort();

describe('parser golden cases', () => {
  it('has cases for every parser it knows', () => {
    const covered = new Set(cases.map((c) => c.split('--')[0]));
    for (const name of ['nginx-json', 'nginx-combined', 'envoy-json', 'envoy-text']) expect(covered).toContain(name);
  });

  describe.each(cases)('%s', (name) => {
    const dir = new URL(`${name}/`, ROOT);
    const parse = parsers[name.split('--')[0] ?? ''];

    it('names its parser and its source', () => {
      expect(parse).toBeTypeOf('function');
      expect(existsSync(new URL('SOURCE.md', dir))).toBe(true);
    });

    it('parses every line of input.log as expected.json says', () => {
      const lines = inputLines(readFileSync(new URL('input.log', dir), 'utf8'));
      const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8')) as unknown[];
      expect(lines.length).toBe(expected.length);
      lines.forEach((line, i) => {
        expect(parse?.(line, PARSE), `${name} line ${i + 1}`).toEqual(expected[i]);
      });
    });
  });
});
