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
  'sequential_24h',
  'new_shape_errors_24h',
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
  /** Over the trailing 24 h: reads with a numeric id, and those of them continuing one of the key's id runs. */
  numeric_24h: number;
  sequential_24h: number;
  /** UTC days of history the key's habits rest on (before this window). */
  days: number;
  hour_of_week: number;
}

const DAY_MS = 86_400_000;

export interface Trailing {
  distinct: number;
  sequential: number;
  numeric: number;
  shapeErrors: number;
}

/** Sums over the windows of the last 24 h, this one included. */
export function trailing(p: KeyProfile, w: OpenWindow, distinct: number): Trailing {
  const t: Trailing = { distinct, sequential: w.sequential, numeric: w.numeric, shapeErrors: w.new_shape_err };
  const from = (w.end - DAY_MS) / 60_000;
  for (const [start, , d, seq, numeric, shapeErrors] of p.trail) {
    if (start < from) continue;
    t.distinct += d;
    t.sequential += seq;
    t.numeric += numeric;
    t.shapeErrors += shapeErrors;
  }
  return t;
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

export function shrunk(pop: Population): Pick<Population, 'requests' | 'distinct' | 'distinct_24h' | 'seq' | 'errors'> {
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

/**
 * A key with history, but not much yet, is held to its own baselines only where they are above
 * the population's: a day of a developer trying the API says little about the integration's
 * volume, while a nightly job's one big window already says what its next night looks like.
 */
function youngBlend(p: KeyProfile, pop: Population, minHistory: number): Pick<KeyProfile['base'], 'requests' | 'distinct' | 'distinct_24h' | 'seq' | 'errors'> {
  const h = Math.min(1, p.windows / minHistory);
  if (h >= 1) return p.base;
  const s = shrunk(pop);
  const mix = (own: { m: number; v: number }, popE: { m: number; v: number }) => ({ m: h * own.m + (1 - h) * Math.max(own.m, popE.m), v: own.v });
  return {
    requests: mix(p.base.requests, s.requests),
    distinct: mix(p.base.distinct, s.distinct),
    distinct_24h: mix(p.base.distinct_24h, s.distinct_24h),
    seq: p.base.seq,
    errors: p.base.errors,
  };
}

export function computeFeatures(w: OpenWindow, p: KeyProfile, pop: Population, minHistory: number): FeatureVector {
  const own = hasHistory(p, w, minHistory);
  const distinct = sketchEstimate(windowSketch(w));
  const t = trailing(p, w, distinct);
  const how = hourOfWeek(w.start);
  const usualHere = usualAt(p, how);
  const r = w.requests;
  const values: Record<FeatureName, number> = {
    requests: r,
    distinct_objects: distinct,
    distinct_objects_24h: t.distinct,
    sequential_share: w.numeric > 0 ? w.sequential / w.numeric : 0,
    sequential_24h: t.numeric > 0 ? t.sequential / t.numeric : 0,
    new_shape_errors_24h: t.shapeErrors,
    new_route_share: own ? w.new_route / r : 0,
    new_network_share: own ? w.new_network / r : 0,
    new_agent_share: own ? w.new_agent / r : 0,
    off_hours: own ? 1 - usualHere : 0,
    error_share: w.errors / r,
    page_beyond: own && p.max_page > 0 ? w.max_page / p.max_page : 0,
    limit_beyond: own && p.max_limit > 0 ? w.max_limit / p.max_limit : 0,
  };
  const b = own ? youngBlend(p, pop, minHistory) : shrunk(pop);
  const baselines: Record<FeatureName, number> = {
    requests: b.requests.m,
    distinct_objects: b.distinct.m,
    distinct_objects_24h: b.distinct_24h.m,
    sequential_share: b.seq.m,
    sequential_24h: b.seq.m,
    new_shape_errors_24h: 0,
    new_route_share: 0,
    new_network_share: own ? p.base.new_network.m : 0,
    new_agent_share: 0,
    off_hours: 0,
    error_share: b.errors.m,
    page_beyond: p.max_page,
    limit_beyond: p.max_limit,
  };
  return { own, values, baselines, numeric: w.numeric, numeric_24h: t.numeric, sequential_24h: t.sequential, days: p.days, hour_of_week: how };
}
