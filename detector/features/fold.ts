/**
 * Folds a closed window into the key's profile: decays the histograms to the window's end, adds
 * the window, updates the running baselines and the trail of recent windows.
 */
import {
  bump,
  hourOfWeek,
  MAX_AGENTS,
  MAX_NETWORKS,
  MAX_ROUTES,
  TRAIL_WINDOWS,
  updateEwm,
  type KeyProfile,
  type OpenWindow,
} from '../profiles/key-state.js';
import { followBusiestRoutes } from './coverage.js';
import { learnKeyShapes } from './shape-set.js';
import type { FeatureVector } from './vector.js';

const DAY_MS = 86_400_000;

/** Profiles store two decimals: enough for ranges and baselines, and it keeps a key's state small. */
const r2 = (x: number) => Math.round(x * 100) / 100;
/** Histograms keep three significant digits (at most two decimals): relative precision is what they need. */
function r3(x: number): number {
  if (x >= 100) return Math.round(x);
  if (x >= 10) return Math.round(x * 10) / 10;
  return r2(x);
}

function decay(h: Record<string, number>, f: number): void {
  for (const k of Object.keys(h)) {
    const v = r3((h[k] as number) * f);
    if (v < 0.01) delete h[k];
    else h[k] = v;
  }
}

function roundAll(h: Record<string, number>): void {
  for (const k of Object.keys(h)) h[k] = r3(h[k] as number);
}

export function foldWindow(p: KeyProfile, w: OpenWindow, fv: FeatureVector, halfLifeMs: number): void {
  const dt = w.end - p.decayed_at;
  if (dt > 0) {
    const f = Math.pow(0.5, dt / halfLifeMs);
    decay(p.routes, f);
    decay(p.networks, f);
    decay(p.agents, f);
    for (let i = 0; i < p.how.length; i++) p.how[i] = r3((p.how[i] as number) * f);
    p.decayed_at = w.end;
  }
  for (const [route, n] of Object.entries(w.routes)) bump(p.routes, route, n, MAX_ROUTES);
  const perNet = w.requests / Math.max(1, w.networks.length);
  for (const net of w.networks) bump(p.networks, net, perNet, MAX_NETWORKS);
  const perAgent = w.requests / Math.max(1, w.agents.length);
  for (const a of w.agents) bump(p.agents, a, perAgent, MAX_AGENTS);
  roundAll(p.routes);
  followBusiestRoutes(p, w.routes);
  roundAll(p.networks);
  roundAll(p.agents);
  const h = hourOfWeek(w.start);
  p.how[h] = r3((p.how[h] as number) + w.requests);
  learnKeyShapes(p, w.shapes);
  const last = p.trail[p.trail.length - 1];
  if (last === undefined || Math.floor((last[0] * 60_000) / DAY_MS) !== Math.floor(w.start / DAY_MS)) p.days++;
  // Ranges move slowly toward the recent so one old deep page does not excuse the next forever.
  p.max_page = Math.max(w.max_page, p.max_page * 0.98);
  p.max_limit = Math.max(w.max_limit, p.max_limit * 0.98);

  p.windows++;
  const a = Math.max(1 / p.windows, 0.05);
  const v = fv.values;
  updateEwm(p.base.requests, v.requests, a);
  updateEwm(p.base.distinct, v.distinct_objects, a);
  updateEwm(p.base.distinct_24h, v.distinct_objects_24h, a);
  if (fv.numeric >= 5) updateEwm(p.base.seq, v.sequential_share, a);
  updateEwm(p.base.errors, v.error_share, a);
  updateEwm(p.base.new_network, v.new_network_share, a);

  for (const e of Object.values(p.base)) {
    e.m = Math.round(e.m * 10_000) / 10_000;
    e.v = Math.round(e.v * 10_000) / 10_000;
  }
  p.max_page = r2(p.max_page);
  p.max_limit = r2(p.max_limit);
  p.trail.push([Math.floor(w.start / 60_000), w.requests, v.distinct_objects, w.sequential, w.numeric, w.new_shape_err]);
  if (p.trail.length > TRAIL_WINDOWS) p.trail.splice(0, p.trail.length - TRAIL_WINDOWS);
}
