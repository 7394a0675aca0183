/**
 * A key's long memory of the objects it read: per busiest id space (an id-bearing route, any API
 * version), a coverage sketch of the last 30 days (profiles/coverage-sketch.ts). Events add to it
 * as they come; the fold decides which spaces are followed; the stored profile holds the sketches
 * packed, refreshed when the state is saved.
 */
import { MAX_COVER_ROUTES, type CoverEntry, type KeyProfile } from '../profiles/key-state.js';
import { copySketch, dayOf, decodeSketch, encodeSketch, newSketch, sketchAddHash, type CoverageSketch } from '../profiles/coverage-sketch.js';

/** A route displaces a followed one only when the key calls it this much more (so routes of equal weight do not take turns). */
const DISPLACE = 1.5;
const VERSION_SEGMENT = /\/v[0-9]{1,3}(?:\.[0-9]{1,3})?(?=\/|$)/;
const spaces = new Map<string, string>();

/**
 * The id space a route reads: the route with its API version segment written `v*`, so that
 * /v1/customers/{int} and /v2/customers/{int} are one space (both versions serve the same records).
 */
export function idSpaceOf(route: string): string {
  let s = spaces.get(route);
  if (s === undefined) {
    s = route.replace(VERSION_SEGMENT, '/v*');
    if (spaces.size >= 4096) spaces.clear();
    spaces.set(route, s);
  }
  return s;
}

// Decoded sketches by profile, in the order of profile.cover.
const decoded = new WeakMap<KeyProfile, CoverageSketch[]>();

function sketches(p: KeyProfile): CoverageSketch[] {
  let d = decoded.get(p);
  if (!d) {
    const cover = p.cover ?? (p.cover = []);
    d = cover.map(([, text, day]) => decodeSketch(text, day));
    decoded.set(p, d);
  }
  return d;
}

/**
 * Adds one object (by its objectHash in the id space) read in an id space (idSpaceOf). A space the
 * key does not follow yet is taken on while fewer than MAX_COVER_ROUTES are followed; later ones
 * wait for the fold.
 */
export function coverAdd(p: KeyProfile, route: string, hash: number, id: number | string, ts: number): void {
  const d = sketches(p);
  const cover = p.cover as NonNullable<KeyProfile['cover']>;
  let i = 0;
  while (i < cover.length && (cover[i] as CoverEntry)[0] !== route) i++;
  if (i === cover.length) {
    if (i >= MAX_COVER_ROUTES) return;
    cover.push([route, '', 0, -1, -1]);
    d.push(newSketch(dayOf(ts)));
  }
  sketchAddHash(d[i] as CoverageSketch, hash, dayOf(ts));
  // The numeric range read: a key reading a dense stretch of ids is reading a slice.
  if (typeof id === 'number') {
    const c = cover[i] as CoverEntry;
    if (c[3] < 0 || id < c[3]) c[3] = id;
    if (id > c[4]) c[4] = id;
  }
}

/**
 * At the fold: an id space the key now reads clearly more than the least-read followed one takes
 * its place (with an empty sketch: what the key read there before is not known).
 */
export function followBusiestRoutes(p: KeyProfile, windowRoutes: Record<string, number>): void {
  const cover = p.cover;
  if (!cover || cover.length < MAX_COVER_ROUTES) return;
  let weights: Map<string, number> | null = null;
  for (const route of Object.keys(windowRoutes)) {
    if (route.indexOf('{') < 0) continue;
    const space = idSpaceOf(route);
    if (cover.some((c) => c[0] === space)) continue;
    if (weights === null) {
      weights = new Map();
      for (const [r, n] of Object.entries(p.routes)) if (r.indexOf('{') >= 0) weights.set(idSpaceOf(r), (weights.get(idSpaceOf(r)) ?? 0) + n);
    }
    const w = weights;
    const weight = (s: string) => w.get(s) ?? 0;
    let low = 0;
    for (let i = 1; i < cover.length; i++) if (weight((cover[i] as CoverEntry)[0]) < weight((cover[low] as CoverEntry)[0])) low = i;
    if (weight(space) > DISPLACE * weight((cover[low] as CoverEntry)[0])) {
      const d = sketches(p);
      cover[low] = [space, '', 0, -1, -1];
      d[low] = newSketch((d[low] as CoverageSketch).day);
    }
  }
}

export interface CoverSnapshot {
  route: string;
  sketch: CoverageSketch;
  /** Lowest and highest numeric id read there (-1 when none). */
  lo: number;
  hi: number;
}

/** Copies of the key's sketches as they are now, by space (what a closed window hands on). */
export function coverSnapshot(p: KeyProfile): CoverSnapshot[] {
  if (!p.cover || p.cover.length === 0) return [];
  const d = sketches(p);
  return p.cover.map(([route, , , lo, hi], i) => ({ route, sketch: copySketch(d[i] as CoverageSketch), lo: lo ?? -1, hi: hi ?? -1 }));
}

/** Writes the sketches back into the JSON-safe profile before it is stored. */
export function sealCover(p: KeyProfile): void {
  const d = decoded.get(p);
  const cover = p.cover;
  if (!d || !cover) return;
  for (let i = 0; i < cover.length; i++) {
    const s = d[i] as CoverageSketch;
    const c = cover[i] as CoverEntry;
    c[1] = encodeSketch(s);
    c[2] = s.day;
    // Entries of states stored before ranges were kept.
    if (c[3] === undefined) [c[3], c[4]] = [-1, -1];
  }
}
