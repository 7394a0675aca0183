/**
 * Plain-language reasons: which features isolated the window, each with the key's baseline
 * beside the observed value ("read 812 distinct objects in 24 h; this key's usual: 14").
 */
import type { Reason } from '../../contracts/index.js';
import type { FeatureName, FeatureVector } from '../features/vector.js';
import type { OpenWindow } from '../profiles/key-state.js';
import type { WindowScore } from './score.js';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const pct = (x: number) => `${Math.round(x * 100)} %`;
const round = (x: number) => (x >= 10 ? Math.round(x) : Math.round(x * 10) / 10);

function topRoute(w: OpenWindow): string {
  let best = '';
  let n = -1;
  for (const [r, c] of Object.entries(w.routes)) if (c > n) [best, n] = [r, c];
  return best;
}

function text(f: FeatureName, fv: FeatureVector, w: OpenWindow): string {
  const v = fv.values[f];
  const b = fv.baselines[f];
  const whose = fv.own ? "this key's usual" : 'usual for keys like it';
  switch (f) {
    case 'sequential_share':
      return `${pct(v)} of requests walked object ids in sequence (${topRoute(w)}); ${whose}: ${pct(b)}`;
    case 'sequential_24h':
      return `${fv.sequential_24h} of ${fv.numeric_24h} reads in 24 h continued a walk through object ids (${pct(v)}); ${whose}: ${pct(b)}`;
    case 'new_shape_errors_24h':
      return `${v} failed requests in 24 h carried parameter shapes this key and its peers never sent on those routes (type, length or characters, e.g. quotes or markup in a value); ${whose}: ${round(b)}`;
    case 'distinct_objects_24h':
      return `read ${Math.round(v)} distinct objects in 24 h; ${whose}: ${round(b)}`;
    case 'distinct_objects':
      return `read ${Math.round(v)} distinct objects in one window; ${whose}: ${round(b)}`;
    case 'requests':
      return `${v} requests in one window; ${whose}: ${round(b)}`;
    case 'new_network_share':
      return `${pct(v)} of requests came from networks this key never used (${w.networks.slice(0, 3).join(', ')})`;
    case 'new_agent_share':
      return `${pct(v)} of requests came with user agents this key never sent`;
    case 'new_route_share':
      return `${pct(v)} of requests went to routes this key never called`;
    case 'off_hours': {
      const h = fv.hour_of_week;
      return `active ${DAYS[Math.floor(h / 24)]} ${String(h % 24).padStart(2, '0')}:00 UTC, an hour this key is normally idle`;
    }
    case 'error_share':
      return `${pct(v)} of requests failed with 4xx; ${whose}: ${pct(b)}`;
    case 'page_beyond':
      return `paged to page ${w.max_page}; this key's highest usual page: ${round(b)}`;
    case 'limit_beyond':
      return `asked for limit ${w.max_limit}; this key's usual maximum: ${round(b)}`;
  }
}

export function explain(s: WindowScore, fv: FeatureVector, w: OpenWindow, max = 5): Reason[] {
  return (Object.entries(s.contributions) as Array<[FeatureName, number]>)
    .sort((a, b) => b[1] - a[1])
    .slice(0, max)
    .map(([f]) => {
      const value = f === 'page_beyond' ? w.max_page : f === 'limit_beyond' ? w.max_limit : fv.values[f];
      return { feature: f, value: Math.round(value * 1000) / 1000, baseline: Math.round(fv.baselines[f] * 1000) / 1000, text: text(f, fv, w) };
    });
}
