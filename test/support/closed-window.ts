/** A scored, closed window as the pipeline hands it to AlertDecider, for decision tests. */
import type { ClosedWindow } from '../../detector/alerts/decide.js';
import { FEATURES, type FeatureName, type FeatureVector } from '../../detector/features/vector.js';
import { openWindow } from '../../detector/features/window.js';

const HOUR = 3_600_000;
export const WINDOWS_START = Date.UTC(2026, 10, 2);

/** The key's window of `hour` hours after WINDOWS_START, scoring `score` (an id walk as its reason). */
export function closedWindow(keyId: string, hour: number, score: number, opts: { populationTypical?: boolean } = {}): ClosedWindow {
  const w = openWindow(WINDOWS_START + hour * HOUR, HOUR, 'nginx');
  Object.assign(w, { requests: 400, routes: { '/v1/customers/{int}': 400 }, networks: ['10.0.0.0/24'], hosts: ['gw1'], samples: ['e1'] });
  const zero = Object.fromEntries(FEATURES.map((f) => [f, 0])) as Record<FeatureName, number>;
  const features: FeatureVector = {
    own: true,
    values: { ...zero, requests: 400, sequential_share: 0.95 },
    baselines: { ...zero, requests: 20 },
    numeric: 400,
    numeric_24h: 400,
    sequential_24h: 380,
    days: 5,
    hour_of_week: 10,
  };
  return { keyId, window: w, features, score: { score, contributions: { sequential_share: 2 } }, closedAt: w.end, populationTypical: opts.populationTypical ?? false };
}
