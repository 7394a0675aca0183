/**
 * The campaign stage's rules, each turning what it sees into a finding (an alert to raise) or
 * nothing:
 * - coverage: a key's 30-day share of an id space, coverage_factor times the 99th percentile of
 *   the other keys' shares (one more of them left out);
 * - consumer: a consumer's keys, merged into one window, scored as one key (consumers.ts);
 * - group: linked keys (groups.ts) whose union of an id space, or whose distinct objects per 24 h
 *   together, go that far beyond what one key reads; keys each reading a dense slice of one id
 *   space, the slices apart; and new keys acting together, scored as one new key would be by the
 *   windows' rules.
 */
import type { Config } from '../../contracts/index.js';
import { scoreWindow, type WindowScore } from '../alerts/score.js';
import type { CoverSnapshot } from '../features/coverage.js';
import type { Population } from '../features/population.js';
import { FEATURES, shrunk, type FeatureName, type FeatureVector } from '../features/vector.js';
import { copySketch, estimate, merge, type CoverageSketch } from '../profiles/coverage-sketch.js';
import type { OpenWindow } from '../profiles/key-state.js';
import { CAMPAIGN_KIND, COVERAGE_KIND, type Finding } from './decide.js';
import { campaignCoverageReason, campaignNewKeysReason, campaignVolumeReason, consumerReasons, coverageReason, linkReason, sliceReason } from './explain.js';
import type { Component, Groups, MemberInfo } from './groups.js';
import type { IdSpace } from './id-space.js';
import type { CampaignRegistry } from './registry.js';
import { wideNetwork, type WindowSummary } from './summary.js';

const DAY_MS = 86_400_000;
/** A share below this never alerts, whatever the percentiles (a population of small readers). */
const MIN_SHARE = 0.02;
/** Daily samples of a route (or of distinct objects per 24 h) before its percentiles are trusted. */
const MIN_SAMPLES = 50;
/** Keys reading a route lately before anyone is compared with them. */
const MIN_KEYS = 20;
/** Distinct objects per 24 h a campaign needs before its volume can alert. */
const MIN_DISTINCT_24H = 1000;
/** Members alerted on their own this recently count as caught already. */
const CAUGHT_MS = 7 * DAY_MS;
/** Members' union at least this share of their sum: their slices do not overlap. */
const DISJOINT = 0.8;
/** A slice: at least this many ids read, at least this share of the ids between the lowest and the highest. */
const MIN_SLICE_IDS = 300;
const DENSE = 0.1;
/** Ids of the campaign's id space a linked key must have read to be listed as a member (consumers list every key). */
const MIN_MEMBER_IDS = 50;
/** Members first seen this recently are new keys: together they are judged as one new key. */
const YOUNG_MS = 7 * DAY_MS;

/**
 * How a key without history that read `distinct24h` distinct objects in 24 h would score by the
 * key windows' own rules (alerts/score.ts), against the population's baseline.
 */
function asOneNewKey(distinct24h: number, pop: Population): { score: WindowScore; baseline: number } {
  const zero = Object.fromEntries(FEATURES.map((f) => [f, 0])) as Record<FeatureName, number>;
  const baseline = shrunk(pop).distinct_24h.m;
  const fv: FeatureVector = {
    own: false,
    values: { ...zero, distinct_objects_24h: distinct24h },
    baselines: { ...zero, distinct_objects_24h: baseline },
    numeric: 0,
    numeric_24h: 0,
    sequential_24h: 0,
    days: 0,
    hour_of_week: 0,
  };
  return { score: scoreWindow(fv), baseline };
}

/** Score of a finding `x` times its bar: the threshold itself at 1, 0.8 at 4, 0.9 at 16 (threshold 0.6). */
export function ratioScore(x: number, threshold: number): number {
  return x < 1 ? 0 : 1 - (1 - threshold) / Math.sqrt(x);
}

interface Together {
  route: string;
  on: MemberInfo[];
  union: CoverageSketch;
  /** The members' own estimates added up (the union is this much when they overlap nowhere). */
  sum: number;
}

/** The route most members follow, and what they read there together (null when fewer than two do). */
function together(members: MemberInfo[], day: number): Together | null {
  const byRoute = new Map<string, MemberInfo[]>();
  for (const m of members) if (m.sketch !== null && m.route !== '') byRoute.set(m.route, [...(byRoute.get(m.route) ?? []), m]);
  let route = '';
  let on: MemberInfo[] = [];
  for (const [r, ms] of [...byRoute].sort((a, b) => (a[0] < b[0] ? -1 : 1))) if (ms.length > on.length) [route, on] = [r, ms];
  if (on.length < 2) return null;
  const union = copySketch(on[0]?.sketch as CoverageSketch);
  for (const m of on.slice(1)) merge(union, m.sketch as CoverageSketch);
  let sum = 0;
  for (const m of on) sum += estimate(m.sketch as CoverageSketch, day);
  return { route, on, union, sum };
}

/** Networks (or their wide blocks) that at least two members share. */
function sharedNetworks(members: MemberInfo[], of: (net: string) => string): string[] {
  const counts = new Map<string, number>();
  for (const m of members) for (const n of new Set(m.networks.map(of))) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts].filter(([, c]) => c >= 2).map(([n]) => n).sort().slice(0, 3);
}

export class Findings {
  constructor(
    private readonly config: Config,
    private readonly space: IdSpace,
    private readonly groups: Groups,
    private readonly registry: CampaignRegistry,
    private readonly population: () => Population,
  ) {}

  /** A key's share of an id space, as the population stood before this period. */
  coverage(s: WindowSummary, c: CoverSnapshot, cov: { own: number; space: number; share: number }, day: number): Finding | null {
    const d = this.config.detection;
    if (!d.campaigns || cov.own < d.coverage_min_ids) return null;
    // The key and one more are left out of the percentile: two keys alike cannot set each other's bar.
    const ref = this.space.reference(c.route, new Set([s.keyId]), day);
    if (ref.keys < MIN_KEYS || this.space.samples(c.route) < MIN_SAMPLES) return null;
    const score = ratioScore(cov.share / Math.max(MIN_SHARE, d.coverage_factor * ref.value), d.threshold);
    if (score < d.threshold) return null;
    return {
      kind: COVERAGE_KIND,
      keyId: s.keyId,
      score,
      window: { start: s.start, end: s.end },
      closedAt: s.end,
      reasons: [coverageReason({ route: c.route, own: cov.own, own7: estimate(c.sketch, day, 7), space: cov.space, share: cov.share, p99: ref.value, q: ref.q })],
      evidence: {
        requests: s.requests,
        distinct_objects: Math.round(cov.own),
        routes: s.routes.map(([r, count]) => ({ route: r, count })),
        networks: s.networks.slice(0, 5),
        sample_event_ids: s.samples,
      },
      source: { gateway: s.gateway, hosts: s.hosts },
    };
  }

  /** A consumer's merged window that scored over the threshold, while two or more of its keys are active. */
  consumer(consumer: string, w: OpenWindow, v: { features: FeatureVector; score: WindowScore }, end: number, day: number): Finding | null {
    const d = this.config.detection;
    if (!d.campaigns || v.score.score < d.threshold) return null;
    const keys = this.groups.active(`c:${consumer}`, end);
    if (keys.length < 2) return null;
    const t = together(keys, day);
    const on = t === null ? null : { route: t.route, share: this.space.coverage(t.route, t.union, day).share };
    const campaign = this.registry.describe(consumer, ['consumer'], keys, on, this.space, day);
    campaign.consumer_id = consumer;
    return {
      kind: CAMPAIGN_KIND,
      keyId: consumer,
      score: v.score.score,
      window: { start: w.start, end: w.end },
      closedAt: end,
      reasons: [...consumerReasons(v.score, v.features, w, keys.length), linkReason(keys.length, ['consumer'], { network: [], asn: [] })],
      evidence: {
        requests: w.requests,
        distinct_objects: Math.round(v.features.values.distinct_objects_24h),
        routes: Object.entries(w.routes)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 5)
          .map(([route, count]) => ({ route, count })),
        networks: w.networks.slice(0, 5),
        sample_event_ids: w.samples.slice(0, 5),
      },
      source: { gateway: w.gateway, hosts: w.hosts },
      campaign,
    };
  }

  /** Linked keys whose reads together go as far beyond the other keys as one key may not. */
  group(comp: Component, start: number, end: number, day: number, coverageLearning: boolean): Finding | null {
    const d = this.config.detection;
    if (!d.campaigns) return null;
    const members = comp.members;
    // Keys caught on their own already: the campaign has to rest on at least two that were not.
    if (members.filter((m) => m.alertedAt <= end - CAUGHT_MS).length < 2) return null;
    const t = together(members, day);
    const unionCount = t === null ? 0 : estimate(t.union, day);
    // Slices that do not overlap: the members' union is (nearly) the sum of what each read.
    const disjoint = t !== null && t.sum > 0 && unionCount >= DISJOINT * t.sum;
    const reasons: Finding['reasons'] = [];
    let best = 0;
    let share = 0;
    if (t !== null && !coverageLearning) {
      const cov = this.space.coverage(t.route, t.union, day);
      share = cov.share;
      const ref = this.space.reference(t.route, new Set(members.map((m) => m.key)), day);
      if (ref.keys >= MIN_KEYS && this.space.samples(t.route) >= MIN_SAMPLES && cov.own >= d.coverage_min_ids) {
        const s = ratioScore(cov.share / Math.max(MIN_SHARE, d.coverage_factor * ref.value), d.threshold);
        if (s >= d.threshold) {
          best = s;
          const each = t.on.map((m) => this.space.coverage(t.route, m.sketch as CoverageSketch, day).share);
          reasons.push(
            campaignCoverageReason({ route: t.route, own: cov.own, own7: estimate(t.union, day, 7), space: cov.space, share: cov.share, p99: ref.value, q: ref.q, members: t.on.length, shares: each, disjoint }),
          );
        }
      }
    }
    // Objects several members both read count once.
    const overlap = t !== null && t.sum > 0 ? Math.min(1, unionCount / t.sum) : 1;
    const d24 = members.reduce((a, m) => a + m.d24, 0) * overlap;
    const q = this.space.distinct24hQuantile(0.99);
    if (q.samples >= MIN_SAMPLES && d24 >= MIN_DISTINCT_24H) {
      const s = ratioScore(d24 / Math.max(MIN_DISTINCT_24H, d.coverage_factor * q.value), d.threshold);
      if (s >= d.threshold) {
        best = Math.max(best, s);
        reasons.push(campaignVolumeReason(members.length, d24, q.value));
      }
    }
    // Slices: two or more members each reading a dense stretch of the ids, the stretches apart. Honest
    // keys read their records scattered over the id space; one script split over keys does not.
    let sliced = false;
    if (t !== null) {
      const slices = t.on
        .filter((m) => m.lo >= 0 && m.hi >= m.lo)
        .map((m) => {
          const n = estimate(m.sketch as CoverageSketch, day);
          return { lo: m.lo, hi: m.hi, n, share: Math.min(1, n / (m.hi - m.lo + 1)) };
        })
        .filter((x) => x.n >= MIN_SLICE_IDS && x.share >= DENSE)
        .sort((a, b) => a.lo - b.lo);
      const apart = slices.every((x, i) => i === 0 || x.lo > (slices[i - 1] as { hi: number }).hi);
      const total = slices.reduce((a, x) => a + x.n, 0);
      if (slices.length >= 2 && apart && total >= d.coverage_min_ids) {
        const s = ratioScore(Math.min(...slices.map((x) => x.share)) / DENSE, d.threshold);
        if (s >= d.threshold) {
          best = Math.max(best, s);
          sliced = true;
          reasons.push(sliceReason(t.route, slices, total));
        }
      }
    }
    // New keys acting together: judged as one new key would be by its windows.
    const young = members.filter((m) => end - m.firstSeen < YOUNG_MS);
    if (young.length >= 2) {
      const yd24 = young.reduce((a, m) => a + m.d24, 0) * overlap;
      const one = asOneNewKey(yd24, this.population());
      if (one.score.score >= d.threshold) {
        best = Math.max(best, one.score.score);
        reasons.push(campaignNewKeysReason(young.length, yd24, one.baseline));
      }
    }
    if (best < d.threshold) return null;
    const basis = [...comp.basis, ...(disjoint || sliced ? (['id_space'] as const) : [])];
    reasons.push(linkReason(members.length, basis, { network: sharedNetworks(members, (n) => n), asn: sharedNetworks(members, wideNetwork) }));
    const first = members[0] as MemberInfo;
    const consumer = members.every((m) => m.consumer !== '' && m.consumer === first.consumer) ? first.consumer : '';
    const id = consumer !== '' ? consumer : this.registry.idFor(comp.group, start, members.map((m) => m.key));
    // A key linked by a network and a route mix but hardly reading the id space is a bystander, not a member.
    const readers = t === null ? [] : t.on.filter((m) => estimate(m.sketch as CoverageSketch, day) >= MIN_MEMBER_IDS);
    const listed = consumer !== '' || readers.length < 2 ? members : readers;
    const campaign = this.registry.describe(id, basis, listed, t === null ? null : { route: t.route, share }, this.space, day);
    if (consumer !== '') campaign.consumer_id = consumer;
    const routes = new Map<string, number>();
    for (const m of members) for (const [r, n] of m.routes) routes.set(r, (routes.get(r) ?? 0) + n);
    return {
      kind: CAMPAIGN_KIND,
      keyId: id,
      score: best,
      window: { start, end },
      closedAt: end,
      reasons,
      evidence: {
        requests: members.reduce((a, m) => a + m.requests, 0),
        distinct_objects: Math.round(t !== null ? unionCount : d24),
        routes: [...routes].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([r, count]) => ({ route: r, count })),
        networks: [...new Set(members.flatMap((m) => m.networks))].slice(0, 10),
        sample_event_ids: members.flatMap((m) => m.samples).slice(0, 5),
      },
      source: { gateway: first.gateway, hosts: [] },
      campaign,
    };
  }
}
