/**
 * Population baselines: what an established key's window usually looks like, across all keys.
 * Keys without history are compared with these instead of with themselves.
 */
import { updateEwm, type Ewm } from '../profiles/key-state.js';

export interface Population {
  /** Event time of the first event ever seen: the learning period counts from here. */
  first_event: number;
  windows: number;
  requests: Ewm;
  distinct: Ewm;
  distinct_24h: Ewm;
  seq: Ewm;
  errors: Ewm;
  /** Parameter shapes the partition's keys sent, two generations of a bloom filter (shape-set.ts). */
  shapes: string;
  shapes_old: string;
}

export function newPopulation(): Population {
  const e = (): Ewm => ({ m: 0, v: 0 });
  return { first_event: 0, windows: 0, requests: e(), distinct: e(), distinct_24h: e(), seq: e(), errors: e(), shapes: '', shapes_old: '' };
}

export function foldPopulation(pop: Population, x: { requests: number; distinct: number; distinct_24h: number; seq: number; errors: number }): void {
  pop.windows++;
  const a = Math.max(1 / pop.windows, 0.002);
  updateEwm(pop.requests, x.requests, a);
  updateEwm(pop.distinct, x.distinct, a);
  updateEwm(pop.distinct_24h, x.distinct_24h, a);
  updateEwm(pop.seq, x.seq, a);
  updateEwm(pop.errors, x.errors, a);
}
