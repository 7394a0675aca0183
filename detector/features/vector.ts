/**
 * The feature vector of a closed window: each feature's observed value beside its baseline, the
 * key's own when it has history, the population's otherwise.
 */
import { sketchEstimate } from '../profiles/object-sketch.js';
import { hourOfWeek, type KeyProfile, type OpenWindow } from '../profiles/key-state.js';
import type { Population } from './population.js';
import { windowSketch } from './window.js';

export const FEATURES = [
  'requests',
  'distinct_objects',
  'distinct_objects_24h',
  'sequential_share',
  'new_route_share',
  'new_network_share',
  'new_agent_share',
  'off_hours',
  'error_share',
  'page_beyond',
  'limit_beyond',
] as const;
export type FeatureName = (typeof FEATURES)[number];

export interface FeatureVector {
  /** True when baselines are the key's own. */
  own: boolean;
  values: Record<FeatureName, number>;
  baselines: Record<FeatureName, number>;
  /** Requests with a numeric object id (sequential_share is meaningless without some). */
  numeric: number;
  hour_of_week: number;
}

const DAY_MS = 86_400_000;

export function trailingDistinct(p: KeyProfile, w: OpenWindow, distinct: number): number {
  let sum = distinct;
  for (const [start, , d] of p.trail) if (start >= w.end - DAY_MS) sum += d;
  return sum;
}

/**
 * A key is compared with itself once it has enough windows, or once it is a day old: a nightly
 * job has one window a day, and its second night should be judged against its first.
 */
export function hasHistory(p: KeyProfile, w: OpenWindow, minHistory: number): boolean {
  return p.windows >= minHistory || (p.windows >= 1 && w.start - p.first_seen >= 20 * 3_600_000);
}

/**
 * How usual activity is at this hour for the key, 0..1: the hour of week against the busiest
 * hour of week, or the hour of day (all weekdays together) when that says more, so a key needs
 * no full week of history before a Tuesday 09:00 counts as usual.
 */
function usualAt(p: KeyProfile, how: number): number {
  let peak = 0;
  const hod = new Array<number>(24).fill(0);
  for (let i = 0; i < p.how.length; i++) {
    const v = p.how[i] as number;
    if (v > peak) peak = v;
    hod[i % 24] = (hod[i % 24] as number) + v;
  }
  if (peak === 0) return 1;
  let hodPeak = 0;
  for (const v of hod) if (v > hodPeak) hodPeak = v;
  return Math.max((p.how[how] as number) / peak, (0.8 * (hod[how % 24] as number)) / hodPeak);
}

/**
 * Population baselines shrunk toward a prior while the partition has seen few windows
 * (`(n·mean + K·prior) / (n + K)`), so a new key can be judged from the first day on.
 */
const PRIOR = { requests: 30, distinct: 20, distinct_24h: 150, seq: 0.02, errors: 0.02 };
const PRIOR_WEIGHT = 50;

function shrunk(pop: Population): Pick<Population, 'requests' | 'distinct' | 'distinct_24h' | 'seq' | 'errors'> {
  const n = pop.windows;
  const mix = (e: { m: number; v: number }, prior: number) => ({ m: (n * e.m + PRIOR_WEIGHT * prior) / (n + PRIOR_WEIGHT), v: e.v });
  return {
    requests: mix(pop.requests, PRIOR.requests),
    distinct: mix(pop.distinct, PRIOR.distinct),
    distinct_24h: mix(pop.distinct_24h, PRIOR.distinct_24h),
    seq: mix(pop.seq, PRIOR.seq),
    errors: mix(pop.errors, PRIOR.errors),
  };
}

export function computeFeatures(w: OpenWindow, p: KeyProfile, pop: Population, minHistory: number): FeatureVector {
  const own = hasHistory(p, w, minHistory);
  const distinct = sketchEstimate(windowSketch(w));
  const d24 = trailingDistinct(p, w, distinct);
  const how = hourOfWeek(w.start);
  const usualHere = usualAt(p, how);
  const r = w.requests;
  const values: Record<FeatureName, number> = {
    requests: r,
    distinct_objects: distinct,
    distinct_objects_24h: d24,
    sequential_share: w.numeric > 0 ? w.sequential / w.numeric : 0,
    new_route_share: own ? w.new_route / r : 0,
    new_network_share: own ? w.new_network / r : 0,
    new_agent_share: own ? w.new_agent / r : 0,
    off_hours: own ? 1 - usualHere : 0,
    error_share: w.errors / r,
    page_beyond: own && p.max_page > 0 ? w.max_page / p.max_page : 0,
    limit_beyond: own && p.max_limit > 0 ? w.max_limit / p.max_limit : 0,
  };
  const b = own ? p.base : shrunk(pop);
  const baselines: Record<FeatureName, number> = {
    requests: b.requests.m,
    distinct_objects: b.distinct.m,
    distinct_objects_24h: b.distinct_24h.m,
    sequential_share: b.seq.m,
    new_route_share: 0,
    new_network_share: own ? p.base.new_network.m : 0,
    new_agent_share: 0,
    off_hours: 0,
    error_share: b.errors.m,
    page_beyond: p.max_page,
    limit_beyond: p.max_limit,
  };
  return { own, values, baselines, numeric: w.numeric, hour_of_week: how };
}
