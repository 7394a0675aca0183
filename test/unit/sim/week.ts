/** The default simulated week (seed 1, 7 days, 40 keys), parsed once per test file. */
import { simulate } from '../../sim/simulate.js';
import type { Truth, TruthKey } from '../../sim/truth.js';

export const FIELDS = [
  'time', 'request_time', 'request_id', 'remote_addr', 'method', 'uri', 'args',
  'status', 'request_length', 'bytes_sent', 'user_agent', 'api_key', 'key_id',
] as const;

export type Line = Record<(typeof FIELDS)[number], string>;

export interface Week {
  raw: string[];
  lines: Line[];
  truth: Truth;
}

let cached: Week | undefined;

export function week(): Week {
  if (!cached) {
    const sim = simulate();
    const raw = [...sim.lines];
    cached = { raw, lines: raw.map((l) => JSON.parse(l) as Line), truth: sim.truth };
  }
  return cached;
}

/** Request end, ms epoch (`$msec`). */
export function endMs(line: Line): number {
  return Math.round(Number(line.time) * 1000);
}

/** Request start, ms epoch. */
export function startMs(line: Line): number {
  return endMs(line) - Math.round(Number(line.request_time) * 1000);
}

export function keyOf(truth: Truth, persona: string): TruthKey {
  const key = truth.keys.find((k) => k.persona === persona);
  if (!key) throw new Error(`no ${persona} key in the truth file`);
  return key;
}

export function linesOf(w: Week, key: TruthKey): Line[] {
  return w.lines.filter((l) => l.api_key === key.key);
}

/** Count of lines per bucket of `bucketMs`, keyed by bucket start. */
export function perBucket(lines: Line[], bucketMs: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (const l of lines) {
    const b = Math.floor(endMs(l) / bucketMs) * bucketMs;
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  return counts;
}

export function network(ip: string): string {
  return ip.split('.').slice(0, 3).join('.');
}
