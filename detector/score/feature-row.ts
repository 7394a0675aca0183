/**
 * A closed window's features as one numeric row for the population Isolation Forest. Every
 * column is relative to the key's own baseline (or the population's for a new key), so windows
 * of a quiet key and a busy key are comparable: the forest learns what deviations are usual.
 */
import type { FeatureVector } from '../features/vector.js';

export const MODEL_COLUMNS = [
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
  'history',
] as const;

const ratio = (v: number, b: number, c: number) => Math.log2((v + c) / (b + c));

export function featureRow(fv: FeatureVector, out = new Float64Array(MODEL_COLUMNS.length)): Float64Array {
  const v = fv.values;
  const b = fv.baselines;
  out[0] = ratio(v.requests, b.requests, 5);
  out[1] = ratio(v.distinct_objects, b.distinct_objects, 5);
  out[2] = ratio(v.distinct_objects_24h, b.distinct_objects_24h, 10);
  out[3] = fv.numeric >= 10 ? v.sequential_share - b.sequential_share : 0;
  out[4] = v.new_route_share;
  out[5] = v.new_network_share - b.new_network_share;
  out[6] = v.new_agent_share;
  out[7] = v.requests >= 10 ? v.off_hours : 0;
  out[8] = v.error_share - b.error_share;
  out[9] = v.page_beyond > 1 ? Math.log2(v.page_beyond) : 0;
  out[10] = v.limit_beyond > 1 ? Math.log2(v.limit_beyond) : 0;
  out[11] = fv.own ? 1 : 0;
  return out;
}
