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
  /** The last active windows: [start, requests, distinct objects]. */
  trail: Array<[number, number, number]>;
}

export interface OpenWindow {
  start: number;
  end: number;
  requests: number;
  errors: number;
  bytes_out: number;
  /** Requests with a numeric object id, and how many of them followed the previous id by +1..+3. */
  numeric: number;
  sequential: number;
  last_id: number;
  last_route: string;
  /** Base64 of the object sketch (object-sketch.ts). */
  objects: string;
  routes: Record<string, number>;
  new_route: number;
  new_network: number;
  new_agent: number;
  networks: string[];
  /** Agent tags seen in the window (first few). */
  agents: string[];
  max_page: number;
  max_limit: number;
  gateway: string;
  hosts: string[];
  samples: string[];
  last_ts: number;
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
  };
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

/** Short stable tag of a user agent; profiles keep tags, not agent strings. */
export function agentTag(ua: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < ua.length; i++) h = Math.imul(h ^ ua.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
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
