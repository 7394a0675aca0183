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

export function computeFeatures(w: OpenWindow, p: KeyProfile, pop: Population, minHistory: number): FeatureVector {
  const own = p.windows >= minHistory;
  const distinct = sketchEstimate(windowSketch(w));
  const d24 = trailingDistinct(p, w, distinct);
  const how = hourOfWeek(w.start);
  let peak = 0;
  for (const v of p.how) if (v > peak) peak = v;
  const usualHere = peak > 0 ? (p.how[how] as number) / peak : 1;
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
  const b = own ? p.base : pop;
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
