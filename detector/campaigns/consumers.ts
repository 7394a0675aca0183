/**
 * The consumer behind several keys, profiled as if it were one key: each hour, the closed windows
 * of its keys are merged into one window (counts added, object sketches OR-ed, so objects two keys
 * both read count once) and scored against the consumer's own profile by the same rules as a key's.
 * What one key alone would be flagged for, the consumer's keys together are. Novelty is left out
 * (a consumer's new key brings new networks and agents honestly), and so are the features that
 * drift across the population, which for a key only alert when its partition's Isolation Forest
 * agrees (a consumer has no forest of its own), and paging beyond the usual range (ranges decay per
 * window, and a consumer whose keys take turns around the clock has many more windows than a key).
 */
import type { Population } from '../features/population.js';
import { foldWindow } from '../features/fold.js';
import { computeFeatures, type FeatureName, type FeatureVector } from '../features/vector.js';
import { openWindow, windowSketch } from '../features/window.js';
import { scoreWindow, type WindowScore } from '../alerts/score.js';
import { bump, MAX_WINDOW_ROUTES, type KeyProfile, type OpenWindow } from '../profiles/key-state.js';
import { SKETCH_BYTES } from '../profiles/object-sketch.js';

/** The rules a consumer is held to: the ones that need no forest's agreement for a key either, paging aside. */
const CONSUMER_FEATURES = new Set<FeatureName>([
  'distinct_objects_24h',
  'sequential_share',
  'sequential_24h',
  'new_shape_errors_24h',
  'error_share',
]);
const MAX_LIST = 8;
const MAX_SAMPLES = 5;

function addAll(into: string[], from: readonly string[], max: number): void {
  for (const x of from) if (into.length < max && !into.includes(x)) into.push(x);
}

/** One window of the consumer from its keys' windows of the same hour. */
export function mergeWindows(ws: readonly OpenWindow[], consumer: string): OpenWindow {
  const first = ws[0] as OpenWindow;
  const bits = new Uint8Array(SKETCH_BYTES);
  // An empty window of the same period (windows are aligned to their length), then the sums.
  const m: OpenWindow = { ...openWindow(first.start, first.end - first.start, first.gateway), consumer };
  for (const w of ws) {
    m.requests += w.requests;
    m.errors += w.errors;
    m.bytes_out += w.bytes_out;
    m.numeric += w.numeric;
    m.sequential += w.sequential;
    m.new_shape += w.new_shape;
    m.new_shape_err += w.new_shape_err;
    for (const [route, n] of Object.entries(w.routes)) bump(m.routes, route, n, MAX_WINDOW_ROUTES);
    addAll(m.networks, w.networks, MAX_LIST);
    addAll(m.agents, w.agents, MAX_LIST);
    addAll(m.hosts, w.hosts, MAX_LIST);
    addAll(m.samples, w.samples, MAX_SAMPLES);
    m.max_page = Math.max(m.max_page, w.max_page);
    m.max_limit = Math.max(m.max_limit, w.max_limit);
    m.last_ts = Math.max(m.last_ts, w.last_ts);
    const b = windowSketch(w);
    for (let i = 0; i < bits.length; i++) bits[i] = (bits[i] as number) | (b[i] as number);
  }
  m.objects = Buffer.from(bits).toString('base64');
  return m;
}

export interface ConsumerVerdict {
  features: FeatureVector;
  score: WindowScore;
}

/** Scores the consumer's merged window against its profile, then folds it in. */
export function judgeConsumer(p: KeyProfile, w: OpenWindow, pop: Population, minHistory: number, halfLifeMs: number): ConsumerVerdict {
  const fv = computeFeatures(w, p, pop, minHistory);
  const all = scoreWindow(fv);
  const contributions: WindowScore['contributions'] = {};
  let sum = 0;
  for (const [f, x] of Object.entries(all.contributions) as Array<[FeatureName, number]>) {
    if (!CONSUMER_FEATURES.has(f)) continue;
    contributions[f] = x;
    sum += x;
  }
  foldWindow(p, w, fv, halfLifeMs);
  return { features: fv, score: { score: 1 - Math.exp(-sum), contributions } };
}
