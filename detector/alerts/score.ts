/**
 * Window score: each feature's excess over its baseline, summed and squashed into [0, 1).
 * A transparent first scorer; the population Isolation Forest (detector/model) joins it in the
 * behavioural-detection work. Returns the per-feature contributions the explanation uses.
 */
import type { FeatureName, FeatureVector } from '../features/vector.js';

export interface WindowScore {
  score: number;
  contributions: Partial<Record<FeatureName, number>>;
}

const log2 = Math.log2;
const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * How much a key's own novelty says, 0..1, from the days of history behind it: on its first day
 * a key has no habits yet (a developer tries the API from a laptop, then the integration goes live
 * from servers), so a new network, agent, route or hour is weak evidence until a few days are
 * behind it.
 */
export function noveltyWeight(days: number): number {
  return clamp01((days - 1) / 3);
}

/**
 * How deep a key pages takes longer to learn than its networks and hours: a new integration's
 * first days often include an initial sync far beyond anything that follows.
 */
export function habitWeight(days: number): number {
  return clamp01((days - 2) / 4);
}

export function scoreWindow(fv: FeatureVector): WindowScore {
  const v = fv.values;
  const b = fv.baselines;
  const c: Partial<Record<FeatureName, number>> = {};
  const add = (f: FeatureName, x: number) => {
    if (x > 0) c[f] = x;
  };
  if (fv.numeric >= 10) add('sequential_share', (v.sequential_share - Math.max(b.sequential_share, 0.05)) * 3);
  // A walk spread thin over a day (a compromised integration reading the next id now and then).
  if (fv.numeric_24h >= 20 && fv.sequential_24h >= 10) {
    add('sequential_24h', (v.sequential_24h - Math.max(b.sequential_24h, 0.05)) * 4 * Math.min(1, fv.sequential_24h / 30));
  }
  // Failing requests with parameter shapes neither this key nor its peers ever sent: probing.
  if (v.new_shape_errors_24h >= 4) add('new_shape_errors_24h', (v.new_shape_errors_24h - 3) * 0.3);
  // Keys without history get wider margins: the population varies more than one key does.
  const margin = fv.own ? 0 : 1.5;
  add('distinct_objects_24h', log2((v.distinct_objects_24h + 10) / (b.distinct_objects_24h + 10)) - 1.2 - margin);
  add('distinct_objects', log2((v.distinct_objects + 5) / (b.distinct_objects + 5)) - 1.5 - margin);
  add('requests', log2((v.requests + 5) / (b.requests + 5)) - 2 - margin);
  if (fv.own) {
    // A share of two requests says little: novelty weighs in with the window's size and the key's age.
    const age = noveltyWeight(fv.days);
    const support = Math.min(1, v.requests / 20) * age;
    const range = habitWeight(fv.days);
    add('new_network_share', (v.new_network_share - b.new_network_share - 0.05) * 1.5 * support);
    add('new_agent_share', (v.new_agent_share - 0.05) * support);
    add('new_route_share', (v.new_route_share - 0.2) * support);
    if (v.requests >= 10) add('off_hours', (v.off_hours - 0.9) * 8 * age);
    if (v.page_beyond > 0) add('page_beyond', (log2(v.page_beyond) - 1) * 0.7 * range);
    if (v.limit_beyond > 0) add('limit_beyond', (log2(v.limit_beyond) - 1) * 0.7 * range);
  }
  if (v.requests >= 20) add('error_share', (v.error_share - Math.max(b.error_share, 0.02) - 0.1) * 3);
  let sum = 0;
  for (const x of Object.values(c)) sum += x;
  return { score: 1 - Math.exp(-sum), contributions: c };
}

/** Severity bands over the threshold. */
export function severityOf(score: number, threshold: number): 'low' | 'medium' | 'high' | 'critical' {
  const span = 1 - threshold;
  if (score >= threshold + span * 0.9) return 'critical';
  if (score >= threshold + span * 0.6) return 'high';
  if (score >= threshold + span * 0.3) return 'medium';
  return 'low';
}
