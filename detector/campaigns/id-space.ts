/**
 * The population's side of coverage: per route template, the id space every key together read
 * over 30 days (the union of their coverage sketches), and how much of it the other keys cover.
 * Each key gives one sample a day: into a decayed log-scale histogram and, for the keys reading
 * most, a list of their latest shares by key. A key (or a campaign) is held against the 99th
 * percentile of the *other* keys: on a route read by few keys, the key itself would otherwise be
 * the percentile (a key that alerted leaves the list, so scrapers found one after another do not
 * shield each other; several at once are a campaign, held against everyone but its members). Also the
 * distribution of keys' distinct objects per 24 h, which campaigns are held against. Bounded:
 * at most MAX_ROUTES routes, a fixed number of buckets and TOP keys each.
 */
import { copySketch, decodeSketch, encodeSketch, estimate, merge, newSketch, type CoverageSketch } from '../profiles/coverage-sketch.js';

const MAX_ROUTES = 48;
/** Keys whose latest share a route keeps by name: enough for the 99th percentile of 6,000 keys. */
const TOP = 64;
/** Coverage buckets: 12 per decade from 10^-5 to 1. */
const COVER_BUCKETS = 60;
const COVER_DECADES = 5;
/** Distinct-per-24h buckets: 12 per decade from 1 to 10^7. */
const COUNT_BUCKETS = 84;
const COUNT_DECADES = 7;
/** Histograms halve every 14 days of event time. */
const HALF_LIFE_DAYS = 14;
/** A share older than this (the key stopped reading the route) leaves the list. */
const STALE_DAYS = 2;

export interface Histogram {
  /** Decayed sample weights per bucket. */
  w: number[];
  n: number;
}

const newHistogram = (buckets: number): Histogram => ({ w: new Array<number>(buckets).fill(0), n: 0 });

function bucketOf(x: number, buckets: number, decades: number, floor: number): number {
  if (x <= floor) return 0;
  const b = Math.floor(((Math.log10(x) - Math.log10(floor)) * buckets) / decades);
  return Math.min(buckets - 1, Math.max(0, b));
}

/** Upper edge of the bucket holding quantile q: on the high side, so a threshold built on it errs toward silence. */
function quantile(h: Histogram, q: number, buckets: number, decades: number, floor: number): number {
  let total = 0;
  for (const x of h.w) total += x;
  if (total <= 0) return 0;
  let acc = 0;
  for (let b = 0; b < buckets; b++) {
    acc += h.w[b] as number;
    if (acc >= q * total) return floor * 10 ** (((b + 1) * decades) / buckets);
  }
  return 1;
}

type TopEntry = [key: string, share: number, day: number];

interface RouteSpace {
  sketch: CoverageSketch;
  cover: Histogram;
  /** The keys with the largest latest shares, largest first. */
  top: TopEntry[];
  /** Keys that gave a sample on the latest day with samples, and on the day before. */
  keys: [day: number, today: number, before: number];
}

export interface Reference {
  /** The other keys' share the bar is set from (0 when too few keys read the route). */
  value: number;
  /** Which percentile of them it is (0.99 where enough keys read the route). */
  q: number;
  /** Keys reading the route lately. */
  keys: number;
}

export interface IdSpaceState {
  routes: Array<[route: string, sketch: string, day: number, weights: number[], n: number, top: TopEntry[], keys: [number, number, number]]>;
  d24: Histogram;
  day: number;
}

export class IdSpace {
  private readonly routes = new Map<string, RouteSpace>();
  private d24 = newHistogram(COUNT_BUCKETS);
  /** Day the histograms were last decayed to. */
  private day = 0;

  /** Share of the route's 30-day id space that `sketch` covers (the key counted in the space). */
  coverage(route: string, sketch: CoverageSketch, day: number): { own: number; space: number; share: number } {
    const own = estimate(sketch, day);
    const r = this.routes.get(route);
    let space = own;
    if (r) {
      const u = copySketch(r.sketch);
      merge(u, sketch);
      space = Math.max(own, estimate(u, day));
    }
    return { own, space, share: space > 0 ? own / space : 0 };
  }

  /** Adds what a key read to the route's space. */
  absorb(route: string, sketch: CoverageSketch): void {
    let r = this.routes.get(route);
    if (!r) {
      if (this.routes.size >= MAX_ROUTES) this.evict();
      r = { sketch: newSketch(sketch.day), cover: newHistogram(COVER_BUCKETS), top: [], keys: [0, 0, 0] };
      this.routes.set(route, r);
    }
    merge(r.sketch, sketch);
  }

  /** The route whose space saw nothing for longest goes (its keys' samples with it). */
  private evict(): void {
    let oldest: string | null = null;
    let day = Infinity;
    for (const [route, r] of this.routes) if (r.sketch.day < day) [oldest, day] = [route, r.sketch.day];
    if (oldest !== null) this.routes.delete(oldest);
  }

  /** One key's daily sample of its coverage of a route. */
  sampleCoverage(route: string, key: string, share: number, day: number): void {
    const r = this.routes.get(route);
    if (!r) return;
    const b = bucketOf(share, COVER_BUCKETS, COVER_DECADES, 1e-5);
    r.cover.w[b] = (r.cover.w[b] as number) + 1;
    r.cover.n++;
    const k = r.keys;
    if (day > k[0]) r.keys = [day, 1, day === k[0] + 1 ? k[1] : 0];
    else k[1]++;
    const top = r.top.filter((e) => e[0] !== key && e[2] > day - STALE_DAYS);
    let at = top.findIndex((e) => e[1] < share);
    if (at < 0) at = top.length;
    if (at < TOP) top.splice(at, 0, [key, Math.round(share * 1e6) / 1e6, day]);
    if (top.length > TOP) top.length = TOP;
    r.top = top;
  }

  /** A key that alerted gives no share to the others' percentile (for as long as it is left out of the samples). */
  forget(key: string): void {
    for (const r of this.routes.values()) {
      const i = r.top.findIndex((e) => e[0] === key);
      if (i >= 0) r.top.splice(i, 1);
    }
  }

  /**
   * The share `keys` (one key, or a campaign's members) are held against: the 99th percentile of
   * the other keys reading the route (with fewer than 100 of them, the largest share among them).
   */
  reference(route: string, keys: ReadonlySet<string>, day: number): Reference {
    const r = this.routes.get(route);
    if (!r) return { value: 0, q: 0.99, keys: 0 };
    const n = Math.max(r.keys[1], r.keys[2]);
    const rank = Math.max(1, Math.ceil(0.01 * n));
    const q = Math.max(0, 1 - rank / Math.max(1, n));
    const others = r.top.filter((e) => !keys.has(e[0]) && e[2] > day - STALE_DAYS);
    if (rank <= others.length) return { value: others[rank - 1]?.[1] ?? 0, q: Math.min(0.99, q), keys: n };
    // More keys than the list holds: the histogram stands in, its own share included (one of thousands).
    if (n > TOP) return { value: quantile(r.cover, 1 - rank / n, COVER_BUCKETS, COVER_DECADES, 1e-5), q: Math.min(0.99, q), keys: n };
    return { value: 0, q: Math.min(0.99, q), keys: n };
  }

  /** Samples a route's percentiles rest on. */
  samples(route: string): number {
    return this.routes.get(route)?.cover.n ?? 0;
  }

  /** One key's daily sample of its distinct objects over 24 h. */
  sampleDistinct24h(n: number): void {
    const b = bucketOf(n, COUNT_BUCKETS, COUNT_DECADES, 1);
    this.d24.w[b] = (this.d24.w[b] as number) + 1;
    this.d24.n++;
  }

  distinct24hQuantile(q: number): { value: number; samples: number } {
    return { value: quantile(this.d24, q, COUNT_BUCKETS, COUNT_DECADES, 1), samples: this.d24.n };
  }

  /** Event time moved to `day`: the histograms lose weight. */
  decayTo(day: number): void {
    if (this.day === 0) this.day = day;
    if (day <= this.day) return;
    const f = 0.5 ** ((day - this.day) / HALF_LIFE_DAYS);
    const scale = (h: Histogram) => {
      for (let i = 0; i < h.w.length; i++) h.w[i] = Math.round((h.w[i] as number) * f * 1000) / 1000;
    };
    for (const r of this.routes.values()) scale(r.cover);
    scale(this.d24);
    this.day = day;
  }

  toJSON(): IdSpaceState {
    return {
      routes: [...this.routes].map(([route, r]) => [route, encodeSketch(r.sketch), r.sketch.day, r.cover.w, r.cover.n, r.top, r.keys]),
      d24: this.d24,
      day: this.day,
    };
  }

  static fromJSON(s: IdSpaceState): IdSpace {
    const x = new IdSpace();
    for (const [route, sketch, day, w, n, top, keys] of s.routes) x.routes.set(route, { sketch: decodeSketch(sketch, day), cover: { w, n }, top, keys });
    x.d24 = s.d24;
    x.day = s.day;
    return x;
  }
}
