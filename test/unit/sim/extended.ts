/**
 * A run of the extended population with every attack kind (seed 1, 10 days, 100 keys, drift
 * on day 1 (library upgrade on Thursday, day 3), attacks from day 2 over 3 days, two of each kind), generated once per test file.
 * Tests read the events (the log lines' fields plus the per-request `abusive` flag).
 */
import { parseAttackMix } from '../../sim/options.js';
import type { SimEvent } from '../../sim/event.js';
import { simulate } from '../../sim/simulate.js';
import type { Truth, TruthKey } from '../../sim/truth.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const MINUTE = 60_000;

export const EXTENDED = {
  seed: 1,
  days: 10,
  keys: 100,
  population: 'extended',
  driftDay: 1,
  attackDay: 2,
  attackSpread: 3,
  attacks: parseAttackMix('all:2'),
} as const;

export interface Run {
  truth: Truth;
  /** Events per raw key, in log order. */
  byKey: Map<string, SimEvent[]>;
}

let cached: Run | undefined;

export function extendedRun(): Run {
  if (!cached) cached = collect({ ...EXTENDED, attacks: { ...EXTENDED.attacks } });
  return cached;
}

export function collect(opts: Parameters<typeof simulate>[0]): Run {
  const sim = simulate(opts);
  const byKey = new Map<string, SimEvent[]>();
  for (const e of sim.events) {
    let list = byKey.get(e.apiKey);
    if (!list) byKey.set(e.apiKey, (list = []));
    list.push(e);
  }
  return { truth: sim.truth, byKey };
}

export function keysOf(truth: Truth, persona: string): TruthKey[] {
  return truth.keys.filter((k) => k.persona === persona);
}

export function eventsOf(run: Run, key: TruthKey): SimEvent[] {
  return run.byKey.get(key.key) ?? [];
}

/** Hours since local midnight (0-24) at `ms` in a zone `tzOffsetMin` minutes east of UTC. */
export function localHour(ms: number, tzOffsetMin: number): number {
  const local = ms + tzOffsetMin * MINUTE;
  return (((local % DAY) + DAY) % DAY) / HOUR;
}

/** Local weekday, 0 = Sunday. */
export function localWeekday(ms: number, tzOffsetMin: number): number {
  return new Date(ms + tzOffsetMin * MINUTE).getUTCDay();
}

export function network(ip: string): string {
  return ip.slice(0, ip.lastIndexOf('.'));
}

/** Count per bucket of `bucketMs` (by request end), keyed by bucket start. */
export function perBucket(events: SimEvent[], bucketMs: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (const e of events) {
    const b = Math.floor(e.endMs / bucketMs) * bucketMs;
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  return counts;
}

/** Numeric id at the end of a detail path, or null. */
export function idOf(uri: string): number | null {
  const m = /\/(\d+)$/.exec(uri);
  return m ? Number(m[1]) : null;
}
