/**
 * What a closed key window hands to the campaign stage: who the key is with (consumer, networks,
 * agents, the shape of its route mix), how much it read, and copies of its coverage sketches as
 * they stood when the window closed. Taken in the window's partition when the window closes, so
 * it is the same whatever the other partitions were doing.
 */
import type { FeatureVector } from '../features/vector.js';
import { coverSnapshot, type CoverSnapshot } from '../features/coverage.js';
import type { KeyProfile, OpenWindow } from '../profiles/key-state.js';

const DAY_MS = 86_400_000;

export interface WindowSummary {
  keyId: string;
  start: number;
  end: number;
  /** Event time of the key's first request. */
  firstSeen: number;
  /** context.consumer_id of the key's events; '' when none. */
  consumer: string;
  /** /24 (/48) networks and agent tags of the window (first few). */
  networks: string[];
  agents: string[];
  /** Hash of the window's three busiest routes, as a set: keys doing the same thing share it. */
  shape: number;
  requests: number;
  /** The window's busiest routes with their requests (at most three). */
  routes: Array<[route: string, requests: number]>;
  distinct24h: number;
  /** The key's own window scored over the threshold. */
  alerted: boolean;
  /** The key's first window of its UTC day: its daily sample for the population's percentiles. */
  firstOfDay: boolean;
  /** Per-key baselines were the key's own (it has history), and the values that feed population baselines. */
  own: boolean;
  values: { requests: number; distinct: number; distinct_24h: number; seq: number; errors: number };
  /** Coverage sketches of the key's followed routes at the window's close. */
  cover: CoverSnapshot[];
  /** The closed window itself, kept only for keys with a consumer (merged into the consumer's window). */
  window: OpenWindow | null;
  gateway: string;
  hosts: string[];
  samples: string[];
}

const busiest = (routes: Record<string, number>): Array<[string, number]> =>
  Object.entries(routes)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 3);

/** FNV-1a of the busiest routes, sorted by name. */
function shapeOf(top: Array<[string, number]>): number {
  let h = 0x811c9dc5;
  for (const r of top.map(([route]) => route).sort()) {
    for (let i = 0; i < r.length; i++) h = Math.imul(h ^ r.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0x7c, 0x01000193);
  }
  return h >>> 0;
}

/** Call before the window is folded into the profile (the trail still ends with the previous window). */
export function summarise(keyId: string, p: KeyProfile, w: OpenWindow, fv: FeatureVector, alerted: boolean): WindowSummary {
  const last = p.trail[p.trail.length - 1];
  const firstOfDay = last === undefined || Math.floor((last[0] * 60_000) / DAY_MS) !== Math.floor(w.start / DAY_MS);
  const v = fv.values;
  const top = busiest(w.routes);
  return {
    keyId,
    start: w.start,
    end: w.end,
    firstSeen: p.first_seen,
    consumer: w.consumer ?? '',
    networks: w.networks.slice(0, 4),
    agents: w.agents.slice(0, 2),
    shape: shapeOf(top),
    requests: w.requests,
    routes: top,
    distinct24h: Math.round(v.distinct_objects_24h),
    alerted,
    firstOfDay,
    own: fv.own,
    values: { requests: v.requests, distinct: v.distinct_objects, distinct_24h: v.distinct_objects_24h, seq: v.sequential_share, errors: v.error_share },
    cover: coverSnapshot(p),
    window: w.consumer !== undefined ? w : null,
    gateway: w.gateway,
    hosts: w.hosts,
    samples: w.samples.slice(0, 2),
  };
}

/** The /16 (IPv4) or /32 (IPv6) around a /24 or /48 network: the same provider, more or less (an ASN stand-in). */
export function wideNetwork(net: string): string {
  const dot = net.indexOf('.');
  if (dot > 0) return `${net.slice(0, net.indexOf('.', dot + 1))}.0.0/16`;
  const parts = net.split(':');
  return parts.length > 2 ? `${parts.slice(0, 2).join(':')}::/32` : net;
}
