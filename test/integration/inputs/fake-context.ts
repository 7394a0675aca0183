/**
 * A pipeline stand-in for input tests: records every line and record handed over, answers true or
 * false as the test decides, resolves `drained()` when the test says so, and captures the input's
 * pino output so tests can search it for secrets. The network peers in these tests are real; only
 * this seam is faked.
 */
import pino from 'pino';
import { validateConfig, type Config, type LineFormat } from '../../../contracts/index.js';
import type { InputContext } from '../../../agent/inputs/input.js';
import type { ParseResult } from '../../../agent/parsers/raw-record.js';

export interface FakeContext extends InputContext {
  readonly lines: Array<{ text: string; format: LineFormat; origin: string | undefined }>;
  readonly records: Array<{ r: ParseResult; source: string }>;
  readonly events: unknown[];
  /** Everything the input logged, as pino JSON lines. */
  logged(): string;
  /** While true, every call answers false (the call's item is still kept, as the pipeline would). */
  full: boolean;
  /** How many drained() promises are waiting. */
  waiting(): number;
  /** How often the input said it has read all there was (caughtUp). */
  caughtUps(): number;
  /** Empties the pipeline: full = false and every drained() resolves. */
  release(): void;
  abort(): void;
  /** Resolves once `n` lines + records + events have arrived (or rejects after `ms`). */
  until(n: number, ms?: number): Promise<void>;
}

export function fakeContext(opts: { fullAfter?: number } = {}): FakeContext {
  const controller = new AbortController();
  let out = '';
  const log = pino({ level: 'trace' }, { write: (s: string) => void (out += s) });
  const waiters: Array<() => void> = [];
  const watchers: Array<{ n: number; resolve: () => void }> = [];
  const lines: FakeContext['lines'] = [];
  const records: FakeContext['records'] = [];
  const events: unknown[] = [];
  let caughtUps = 0;
  const count = () => lines.length + records.length + events.length;
  const arrived = (): boolean => {
    for (let i = watchers.length - 1; i >= 0; i--) {
      const w = watchers[i];
      if (w !== undefined && count() >= w.n) {
        watchers.splice(i, 1);
        w.resolve();
      }
    }
    if (opts.fullAfter !== undefined && count() >= opts.fullAfter && !ctx.released) ctx.full = true;
    return !ctx.full;
  };
  const ctx = {
    lines,
    records,
    events,
    full: false,
    released: false,
    signal: controller.signal,
    log,
    line(text: string, format: LineFormat, origin?: string): boolean {
      lines.push({ text, format, origin });
      return arrived();
    },
    lineBatch(texts: readonly string[], _offsets: readonly number[], n: number, format: LineFormat, stream: string): boolean {
      for (let i = 0; i < n; i++) lines.push({ text: texts[i] as string, format, origin: stream });
      return arrived();
    },
    record(r: ParseResult, source: string): boolean {
      records.push({ r, source });
      return arrived();
    },
    event(e: unknown): boolean {
      events.push(e);
      return arrived();
    },
    drained(): Promise<void> {
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
    caughtUp(): void {
      caughtUps++;
    },
    caughtUps: () => caughtUps,
    handed: () => count(),
    durable: () => count(),
    logged: () => out,
    waiting: () => waiters.length,
    release(): void {
      ctx.full = false;
      ctx.released = true;
      for (const w of waiters.splice(0)) w();
    },
    abort: () => controller.abort(),
    until(n: number, ms = 5_000): Promise<void> {
      if (count() >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${count()} of ${n} items arrived within ${ms} ms`)), ms);
        watchers.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
  return ctx;
}

/** A validated config with every default filled, changed by `edit`. */
export function testConfig(edit: (c: Config) => void = () => undefined): Config {
  const config = {} as Config;
  if (!validateConfig(config)) throw new Error('default config does not validate');
  edit(config);
  return config;
}

/** Polls until `check` holds (for counters a real socket updates asynchronously). */
export async function eventually(check: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
