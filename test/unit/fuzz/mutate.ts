/**
 * Seeded mutations of log lines: byte flips and invalid UTF-8 (applied to the line's bytes and
 * decoded as the inputs decode them, U+FFFD for what is not UTF-8), truncation, splicing with
 * another seed line, duplicated fields, huge fields, NUL, CRLF, quotes, backslashes, injection
 * fragments, and, for JSON lines, values of the wrong type. Each mutated line says which
 * operations made it, so a failure names them along with the seed.
 */
import type { Rng } from '../../sim/prng.js';
import { BAD_UTF8, INJECTIONS, JSON_VALUES, SPECIALS, TEXT_NUMBERS } from './hostile.js';

export interface Mutated {
  line: string;
  ops: string[];
}

const ONE_MB = 1 << 20;
/** Field sizes around the usual limits: the sanitizer's 256 and the smallest max_line_bytes, ... */
const LONG_SIZES = [255, 256, 257, 1_000, 4_096];
/** ... and the default max_line_bytes, 65536 (rarer: each costs as much as a hundred short lines). */
const HUGE_SIZES = [16_384, 65_000, 65_536, 70_000];
const FILLERS = ['A', '%41', '\\"', '"', ' ', '\\\\', 'é', '/', '1', '\u0000', '😀', 'a=1&'];
const OPS = [
  'flip', 'byte', 'utf8', 'surrogate', 'delete', 'truncate', 'splice', 'dupField', 'huge', 'nul', 'crlf', 'quote',
  'inject', 'number', 'swap', 'token', 'json', 'json', 'json',
] as const;
type Op = (typeof OPS)[number];

export class Mutator {
  /** How many 1 MB fields were made (they are rare; the test checks that some were). */
  megabyteFields = 0;

  constructor(
    private readonly rng: Rng,
    private readonly donors: readonly string[],
    /** One line in this many gets a 1 MB field. */
    private readonly megabyteEvery = 4_000,
  ) {}

  /** 1 to `maxOps` stacked mutations of `seed`. */
  mutate(seed: string, maxOps = 4): Mutated {
    const r = this.rng;
    let line = seed;
    const ops: string[] = [];
    const n = r.int(1, maxOps);
    for (let i = 0; i < n; i++) {
      const op = r.pick(OPS);
      line = this.apply(op, line);
      ops.push(op);
    }
    if (r.int(1, this.megabyteEvery) === 1) {
      line = this.insert(line, this.megabyte());
      ops.push('megabyte');
    }
    return { line, ops };
  }

  private megabyte(): string {
    this.megabyteFields++;
    const r = this.rng;
    const filler = r.pick(FILLERS);
    const half = filler.repeat(Math.ceil(ONE_MB / 2 / filler.length));
    return half + r.pick(INJECTIONS) + half;
  }

  private at(line: string): number {
    return this.rng.int(0, line.length);
  }

  private insert(line: string, piece: string): string {
    const at = this.at(line);
    return line.slice(0, at) + piece + line.slice(at);
  }

  private apply(op: Op, line: string): string {
    const r = this.rng;
    switch (op) {
      case 'flip':
      case 'byte':
      case 'utf8':
        return this.bytes(op, line);
      case 'surrogate':
        return this.insert(line, r.pick(['\ud800', '\udfff', '\\ud800', '\\udc00x', '\udbff']));
      case 'delete': {
        const at = this.at(line);
        return line.slice(0, at) + line.slice(at + r.int(1, 16));
      }
      case 'truncate':
        return line.slice(0, this.at(line));
      case 'splice': {
        const donor = r.pick(this.donors);
        return line.slice(0, this.at(line)) + donor.slice(r.int(0, donor.length));
      }
      case 'dupField':
        return this.duplicateField(line);
      case 'huge': {
        const filler = r.pick(FILLERS);
        const size = r.chance(0.1) ? r.pick(HUGE_SIZES) : r.pick(LONG_SIZES);
        return this.insert(line, filler.repeat(Math.ceil(size / filler.length)));
      }
      case 'nul':
        return this.insert(line, r.pick(['\u0000', '\\u0000', '%00', '\u0000\u0000\u0000']));
      case 'crlf':
        return this.insert(line, r.pick(['\r\n', '\r', '\n', '\\r\\n', '\n\n', '\r\r\n']));
      case 'quote':
        return this.insert(line, r.pick(['"', '\\', '\\"', '\\\\', '""', '"-"', '\\x22', '" "', "'", '\\\\"']));
      case 'inject':
        return this.insert(line, r.pick(INJECTIONS));
      case 'number':
        return this.number(line);
      case 'swap': {
        if (line.length < 2) return line;
        const i = r.int(0, line.length - 2);
        return line.slice(0, i) + line.charAt(i + 1) + line.charAt(i) + line.slice(i + 2);
      }
      case 'token':
        return this.replaceToken(line);
      case 'json':
        return this.json(line);
    }
  }

  /** Mutations of the UTF-8 bytes, decoded back as an input would. */
  private bytes(op: 'flip' | 'byte' | 'utf8', line: string): string {
    const r = this.rng;
    const buf = Buffer.from(line, 'utf8');
    if (op === 'utf8' || buf.length === 0) {
      const bad = Buffer.from(r.pick(BAD_UTF8));
      const at = r.int(0, buf.length);
      return Buffer.concat([buf.subarray(0, at), bad, buf.subarray(at)]).toString('utf8');
    }
    const flips = r.int(1, 3);
    for (let i = 0; i < flips; i++) {
      const at = r.int(0, buf.length - 1);
      buf[at] = op === 'flip' ? (buf[at] as number) ^ (1 << r.int(0, 7)) : r.int(0, 255);
    }
    return buf.toString('utf8');
  }

  /** A `"key":value` pair (or a text token) repeated, the copy with another value. */
  private duplicateField(line: string): string {
    const r = this.rng;
    const pairs = [...line.matchAll(/"([^"\\]{1,40})":("(?:[^"\\]|\\.){0,200}"|[-0-9.eE+]+|null|true|false)/g)];
    if (pairs.length > 0) {
      const m = r.pick(pairs);
      const value = r.chance(0.5) ? (m[2] as string) : JSON.stringify(r.pick(JSON_VALUES));
      const copy = `"${m[1]}":${value}`;
      const close = line.lastIndexOf('}');
      // Before the last brace the copy wins (JSON.parse keeps the last); after the first it loses.
      if (close > 0 && r.chance(0.5)) return `${line.slice(0, close)},${copy}${line.slice(close)}`;
      const open = line.indexOf('{');
      if (open >= 0) return `${line.slice(0, open + 1)}${copy},${line.slice(open + 1)}`;
    }
    const tokens = line.split(' ');
    const i = r.int(0, tokens.length - 1);
    tokens.splice(i, 0, tokens[i] as string);
    return tokens.join(' ');
  }

  private number(line: string): string {
    const runs = [...line.matchAll(/[0-9]+/g)];
    if (runs.length === 0) return this.insert(line, this.rng.pick(TEXT_NUMBERS));
    const m = this.rng.pick(runs);
    const at = m.index ?? 0;
    return line.slice(0, at) + this.rng.pick(TEXT_NUMBERS) + line.slice(at + (m[0] as string).length);
  }

  /** A space-separated token swapped for something each format treats specially. */
  private replaceToken(line: string): string {
    const r = this.rng;
    const tokens = line.split(' ');
    const i = r.int(0, tokens.length - 1);
    const pieces = r.int(1, 4);
    let t = '';
    for (let k = 0; k < pieces; k++) t += r.pick(SPECIALS);
    tokens[i] = r.chance(0.3) ? `"${t}"` : t;
    return tokens.join(' ');
  }

  /** For a JSON line: one value (at any depth) replaced, removed or added, then re-serialized. */
  private json(line: string): string {
    const r = this.rng;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      return this.insert(line, r.pick(SPECIALS));
    }
    if (o === null || typeof o !== 'object') return JSON.stringify(r.pick(JSON_VALUES));
    const containers: Array<Record<string, unknown>> = [];
    const walk = (v: unknown, depth: number) => {
      if (v === null || typeof v !== 'object' || depth > 4) return;
      containers.push(v as Record<string, unknown>);
      for (const child of Object.values(v)) walk(child, depth + 1);
    };
    walk(o, 0);
    const target = r.pick(containers);
    const keys = Object.keys(target);
    const choice = r.int(0, 9);
    if (choice === 0 && keys.length > 0) delete target[r.pick(keys)];
    else if (choice === 1 || keys.length === 0) target[r.pick(['time', 'uri', 'method', 'api_key', 'key_id', 'start_time', 'path', 'request', 'headers', 'x-api-key', 'log', 'message', '__proto__', 'constructor'])] = r.pick(JSON_VALUES);
    else target[r.pick(keys)] = r.pick(JSON_VALUES);
    return JSON.stringify(o);
  }
}
