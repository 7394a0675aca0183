/**
 * Plain-language reasons of coverage and campaign alerts, each with the population's figure
 * beside the observed one ("this key has read 38 % of /v1/orders/{int} in 30 days …; the 99th
 * percentile of keys: 0.4 %").
 */
import type { Reason } from '../../contracts/index.js';
import { explain } from '../alerts/explain.js';
import type { WindowScore } from '../alerts/score.js';
import type { FeatureVector } from '../features/vector.js';
import type { OpenWindow } from '../profiles/key-state.js';
import type { Basis } from './groups.js';

/** A share as people write it: one decimal below 10 %, none above. */
export function pct(x: number): string {
  const p = x * 100;
  if (p >= 10) return `${Math.round(p)} %`;
  if (p >= 0.1) return `${(Math.round(p * 10) / 10).toFixed(1)} %`;
  return `${(Math.round(p * 100) / 100).toFixed(2)} %`;
}

export const count = (n: number): string => Math.round(n).toLocaleString('en');

const r4 = (x: number) => Math.round(x * 10_000) / 10_000;

export interface CoverageFigures {
  route: string;
  /** Distinct objects the key (or members together) read in 30 and 7 days. */
  own: number;
  own7: number;
  /** Objects of the route all keys read in 30 days. */
  space: number;
  share: number;
  /** The population's percentile of one key's share the bar is set from, and which (0.99 where enough keys read the route). */
  p99: number;
  q?: number;
}

const ordinal = (q = 0.99): string => {
  const n = Math.floor(q * 100 + 1e-9);
  const suffix = n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th';
  return `${n}${suffix}`;
};

export function coverageReason(f: CoverageFigures): Reason {
  return {
    feature: 'coverage_30d',
    value: r4(f.share),
    baseline: r4(f.p99),
    text:
      `this key has read ${pct(f.share)} of ${f.route} in 30 days (${count(f.own)} of the ~${count(f.space)} ids all keys read there; ` +
      `${count(f.own7)} in the last 7 days); the ${ordinal(f.q)} percentile of other keys: ${pct(f.p99)}`,
  };
}

export function campaignCoverageReason(f: CoverageFigures & { members: number; shares: number[]; disjoint: boolean }): Reason {
  const lo = Math.min(...f.shares);
  const hi = Math.max(...f.shares);
  const each = lo === hi ? pct(lo) : `${pct(lo)} to ${pct(hi)}`;
  return {
    feature: 'campaign_coverage_30d',
    value: r4(f.share),
    baseline: r4(f.p99),
    text:
      `${f.members} keys read ${f.disjoint ? 'disjoint slices' : 'parts'} of ${f.route}: together ${pct(f.share)} of its ids in 30 days ` +
      `(${count(f.own)} of ~${count(f.space)}; each key ${each}); the ${ordinal(f.q)} percentile of other keys: ${pct(f.p99)}`,
  };
}

export function campaignVolumeReason(members: number, distinct24h: number, p99: number): Reason {
  return {
    feature: 'campaign_distinct_24h',
    value: Math.round(distinct24h),
    baseline: Math.round(p99),
    text: `${members} keys together read ${count(distinct24h)} distinct objects in 24 h; the 99th percentile of keys: ${count(p99)}`,
  };
}

export function campaignNewKeysReason(members: number, distinct24h: number, usual: number): Reason {
  return {
    feature: 'campaign_new_keys_distinct_24h',
    value: Math.round(distinct24h),
    baseline: Math.round(usual),
    text: `${members} keys first seen in the last 7 days together read ${count(distinct24h)} distinct objects in 24 h, as one new key would be flagged for; usual for keys like them: ${count(usual)}`,
  };
}

/** Members each reading a dense stretch of ids of one route, the stretches apart. */
export function sliceReason(route: string, slices: Array<{ lo: number; hi: number; share: number }>, total: number): Reason {
  const shown = slices.slice(0, 4).map((x) => `ids ${count(x.lo)}–${count(x.hi)} (${pct(x.share)} of them)`);
  const more = slices.length > 4 ? `, and ${slices.length - 4} more` : '';
  const least = Math.min(...slices.map((x) => x.share));
  return {
    feature: 'campaign_slices',
    value: r4(least),
    baseline: 0,
    text: `${slices.length} keys each read a dense slice of ${route} that no other of them touched: ${shown.join(', ')}${more}; together ${count(total)} ids`,
  };
}

const BASIS_TEXT: Record<Basis, (nets: string[]) => string> = {
  consumer: () => 'one consumer',
  network: (n) => `a client network (${n.join(', ')})`,
  asn: (n) => `a provider's address block (${n.join(', ')})`,
  agent: () => 'a user agent',
  route_shape: () => 'the same mix of routes',
  id_space: () => 'one id space, in slices that do not overlap',
};

/** What linked the members: "the keys share a provider's address block (203.0.0.0/16), a user agent and the same mix of routes". */
export function linkReason(members: number, basis: Basis[], nets: { network: string[]; asn: string[] }): Reason {
  const parts = basis.map((b) => BASIS_TEXT[b](b === 'network' ? nets.network : b === 'asn' ? nets.asn : []));
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : (parts[0] ?? '');
  return { feature: 'campaign_links', value: members, baseline: 1, text: `the ${members} keys share ${list}` };
}

/** A consumer's reasons: the key rules' texts, about the consumer's keys together. */
export function consumerReasons(score: WindowScore, fv: FeatureVector, w: OpenWindow, keys: number): Reason[] {
  return explain(score, fv, w).map((r) => ({
    ...r,
    feature: `consumer_${r.feature}`,
    text: `the consumer's ${keys} keys together: ${r.text.replaceAll("this key's", "this consumer's").replaceAll('keys like it', 'consumers like it')}`,
  }));
}
