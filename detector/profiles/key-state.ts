/**
 * Per-key state: the decayed profile of what this key usually does, and its open window.
 * Plain JSON-safe data, so the memory store (replay) and the Redis store (live) hold exactly the
 * same thing and replay gives the same alerts as live operation. Bounded whatever the traffic:
 * histograms keep their top entries only.
 */
export const HOURS_OF_WEEK = 168;
export const MAX_ROUTES = 24;
export const MAX_NETWORKS = 12;
export const MAX_AGENTS = 6;
export const MAX_WINDOW_ROUTES = 12;
export const TRAIL_WINDOWS = 24;
/** Recent object-id runs a key is followed on (route tag and last id of each). */
export const MAX_RUNS = 4;
/** Never-seen parameter shapes a window remembers for the fold (more still count). */
export const MAX_WINDOW_SHAPES = 16;
/** Id-bearing routes whose 30-day coverage a key keeps (profiles/coverage-sketch.ts, 216 characters each). */
export const MAX_COVER_ROUTES = 2;

/** Running mean and variance updated per closed active window (exponentially weighted). */
export interface Ewm {
  m: number;
  v: number;
}

export interface KeyProfile {
  /** Event time of the key's first request. */
  first_seen: number;
  /** Event time the histograms were last decayed to. */
  decayed_at: number;
  /** Closed active windows so far. */
  windows: number;
  routes: Record<string, number>;
  /** Requests per hour of week (UTC, Monday 00:00 = 0), decayed. */
  how: number[];
  networks: Record<string, number>;
  agents: Record<string, number>;
  /** Largest page-like and limit-like parameter values seen (decayed toward the recent). */
  max_page: number;
  max_limit: number;
  base: { requests: Ewm; distinct: Ewm; seq: Ewm; errors: Ewm; distinct_24h: Ewm; new_network: Ewm };
  /**
   * The last active windows: [start in minutes since the epoch, requests, distinct objects,
   * sequential reads, reads with a numeric id, failed requests with a never-seen parameter shape].
   */
  trail: TrailEntry[];
  /** UTC days with at least one active window: how much history the key's habits rest on. */
  days: number;
  /**
   * The id runs the key is walking, flat `[route tag, last id, ...]` (at most MAX_RUNS pairs,
   * most recent last). Kept across windows, so a walk interleaved with other reads still counts.
   */
  runs: number[];
  /** Base64 bloom filter of the parameter shapes this key sent, per route (features/shape-set.ts). */
  shapes: string;
  /**
   * The distinct objects the key read over the last 30 days in its busiest id spaces: [space,
   * coverage sketch (base64), the sketch's day, lowest and highest numeric id read there since the
   * space was followed (-1 when none)] (features/coverage.ts). Absent in states of earlier versions
   * until the key's next event.
   */
  cover?: CoverEntry[];
}

export type CoverEntry = [space: string, sketch: string, day: number, lo: number, hi: number];

export type TrailEntry = [start: number, requests: number, distinct: number, sequential: number, numeric: number, shapeErrors: number];

export interface OpenWindow {
  start: number;
  end: number;
  requests: number;
  errors: number;
  bytes_out: number;
  /** Requests with a numeric object id, and how many of them continued one of the key's id runs by +1..+3. */
  numeric: number;
  sequential: number;
  /** Base64 of the object sketch (object-sketch.ts). */
  objects: string;
  routes: Record<string, number>;
  new_route: number;
  new_network: number;
  new_agent: number;
  /** Requests with a parameter shape neither this key nor the population sent on the route, and those of them that failed. */
  new_shape: number;
  new_shape_err: number;
  /** Signatures of those shapes (first MAX_WINDOW_SHAPES), learnt when the window folds. */
  shapes: number[];
  networks: string[];
  /** Agent tags seen in the window (first few). */
  agents: string[];
  max_page: number;
  max_limit: number;
  gateway: string;
  hosts: string[];
  samples: string[];
  last_ts: number;
  /** The consumer behind the key (AccessEvent context.consumer_id) as first seen in the window; absent when none. */
  consumer?: string;
}

export interface KeyState {
  key_id: string;
  profile: KeyProfile;
  window: OpenWindow | null;
}

export function newProfile(ts: number): KeyProfile {
  const ewm = (): Ewm => ({ m: 0, v: 0 });
  return {
    first_seen: ts,
    decayed_at: ts,
    windows: 0,
    routes: {},
    how: new Array<number>(HOURS_OF_WEEK).fill(0),
    networks: {},
    agents: {},
    max_page: 0,
    max_limit: 0,
    base: { requests: ewm(), distinct: ewm(), seq: ewm(), errors: ewm(), distinct_24h: ewm(), new_network: ewm() },
    trail: [],
    days: 0,
    runs: [],
    shapes: '',
  };
}

/** A state stored by an earlier version, brought to the current shape (fields added since default). */
export function upgradeState(s: KeyState): KeyState {
  const p = s.profile;
  if (p.runs === undefined) {
    p.runs = [];
    p.shapes = '';
    p.days = Math.min(p.windows, Math.max(1, Math.round((p.decayed_at - p.first_seen) / 86_400_000)));
    // Earlier trails held [start ms, requests, distinct objects].
    p.trail = p.trail.map((t) => [Math.floor(t[0] / 60_000), t[1], t[2], 0, 0, 0]);
    // Earlier agent tags hashed the whole string: dropped, and relearnt from the next window on
    // (an empty agent histogram counts no agent as new).
    p.agents = {};
  }
  const w = s.window as (OpenWindow & { last_id?: number }) | null;
  if (w && w.shapes === undefined) Object.assign(w, { new_shape: 0, new_shape_err: 0, shapes: [] });
  return s;
}

/** Hour of week in UTC with Monday 00:00 as 0. */
export function hourOfWeek(ts: number): number {
  const hours = Math.floor(ts / 3_600_000);
  // 1970-01-01 was a Thursday: hour 0 of the epoch is hour 72 of its week.
  return (hours + 72) % HOURS_OF_WEEK;
}

/** The /24 (IPv4) or /48 (IPv6) network of an address. */
export function networkOf(ip: string): string {
  const dot = ip.lastIndexOf('.');
  if (dot > 0 && ip.indexOf(':') < 0) return `${ip.slice(0, dot)}.0/24`;
  const parts = ip.split(':');
  if (parts.length > 2) return `${parts.slice(0, 3).join(':')}::/48`;
  return ip === '' ? 'unknown' : ip;
}

/**
 * Short stable tag of a user agent; profiles keep tags, not agent strings. The first four hex
 * digits hash the agent without its digits (its family), the last four the whole string: two
 * agents that differ only in version numbers (a library upgrade) share the family half.
 */
export function agentTag(ua: string): string {
  let f = 0x811c9dc5;
  let h = 0x811c9dc5;
  for (let i = 0; i < ua.length; i++) {
    const c = ua.charCodeAt(i);
    h = Math.imul(h ^ c, 0x01000193);
    if (c < 48 || c > 57) f = Math.imul(f ^ c, 0x01000193);
  }
  return ((f >>> 16) ^ (f & 0xffff)).toString(16).padStart(4, '0') + ((h >>> 16) ^ (h & 0xffff)).toString(16).padStart(4, '0');
}

/** Whether the key sent an agent of the same family (the same agent in another version). */
export function knownAgentFamily(agents: Record<string, number>, tag: string): boolean {
  const family = tag.slice(0, 4);
  for (const k of Object.keys(agents)) if (k.startsWith(family)) return true;
  return false;
}

/**
 * Whether the key called the route in another API version (`/v2/orders` for `/v1/orders`):
 * moving to a new version of an endpoint it uses is not a new endpoint.
 */
export function knownRouteVersion(routes: Record<string, number>, route: string): boolean {
  const unversioned = route.replace(VERSION_SEGMENT, '/{v}');
  if (unversioned === route) return false;
  for (const k of Object.keys(routes)) if (k.replace(VERSION_SEGMENT, '/{v}') === unversioned) return true;
  return false;
}

const VERSION_SEGMENT = /\/v[0-9]{1,3}(?:\.[0-9]{1,3})?(?=\/|$)/;

/** 16-bit tag of a route, for the id runs. */
export function routeTag(route: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < route.length; i++) h = Math.imul(h ^ route.charCodeAt(i), 0x01000193);
  return ((h >>> 16) ^ (h & 0xffff)) >>> 0;
}

/** Adds `by` to a histogram entry, evicting the smallest entry when the map is full. */
export function bump(h: Record<string, number>, k: string, by: number, max: number): void {
  const cur = h[k];
  if (cur !== undefined) {
    h[k] = cur + by;
    return;
  }
  const keys = Object.keys(h);
  if (keys.length >= max) {
    let minK = keys[0] as string;
    let minV = Infinity;
    for (const key of keys) {
      const v = h[key] as number;
      if (v < minV) {
        minV = v;
        minK = key;
      }
    }
    delete h[minK];
  }
  h[k] = by;
}

export function updateEwm(e: Ewm, x: number, alpha: number): void {
  const d = x - e.m;
  e.m += alpha * d;
  e.v = (1 - alpha) * (e.v + alpha * d * d);
}
