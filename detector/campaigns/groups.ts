/**
 * Which keys act together. Each key's latest summary is kept (bounded, least recently active
 * first out), and keys are filed under what they share: their consumer, each /24 (/48) network,
 * its /16 (/32) around it (an ASN stand-in), each user agent. A group holds at most MAX_MEMBERS
 * keys; at most MAX_GROUPS groups are kept. Within a group, two keys are linked when they share a
 * consumer, or a network (the same /24, else the same /16) and one more thing (the same agent or
 * the same route mix): one shared network or agent alone is a coincidence (NAT, a popular HTTP
 * library), and the same tool on the same route from anywhere is more likely two actors than one.
 * A network or agent that more than COMMON keys have shown (a cloud provider's block, a browser)
 * links nobody.
 * Linked keys form a campaign candidate: the connected parts of the group, each at most
 * MAX_MEMBERS keys, so the work per group is bounded whatever the traffic.
 */
import { decodeSketch, encodeSketch, estimate, type CoverageSketch } from '../profiles/coverage-sketch.js';
import { wideNetwork, type WindowSummary } from './summary.js';

export const MAX_MEMBERS = 16;
/** Keys a network or agent may have been seen with and still link keys. */
export const COMMON = 16;
const MAX_GROUPS = 20_000;
const MAX_INFOS = 50_000;
/** Keys count as acting together only while both were active in the last 48 h. */
export const ACTIVE_MS = 48 * 3_600_000;
const MAX_NETWORKS = 4;
const MAX_AGENTS = 3;

export type Basis = 'consumer' | 'network' | 'asn' | 'agent' | 'route_shape' | 'id_space';

/** A key as the campaign stage last saw it. */
export interface MemberInfo {
  key: string;
  /** End of the key's latest window, and the key's first request. */
  end: number;
  firstSeen: number;
  consumer: string;
  networks: string[];
  agents: string[];
  shape: number;
  /** The followed route with most objects, its sketch, and distinct objects per 24 h. */
  route: string;
  sketch: CoverageSketch | null;
  /** Lowest and highest numeric id it read on that route (-1 when none). */
  lo: number;
  hi: number;
  d24: number;
  /** End of the key's latest window that alerted on its own (its windows, its coverage), 0 for none. */
  alertedAt: number;
  /** ...or that a campaign listing it alerted on: either way it gives the population no sample. */
  listedAt: number;
  /** Of its latest window: requests, busiest routes, a few event ids, gateway. */
  requests: number;
  routes: Array<[string, number]>;
  samples: string[];
  gateway: string;
}

export interface Component {
  members: MemberInfo[];
  /** What the linked members share, most telling first. */
  basis: Basis[];
  /** The group the candidate was found in (names a new campaign). */
  group: string;
}

const BASIS_ORDER: Basis[] = ['consumer', 'network', 'asn', 'agent', 'route_shape', 'id_space'];

function pushFront(list: string[], items: string[], max: number): void {
  for (let i = items.length - 1; i >= 0; i--) {
    const x = items[i] as string;
    const at = list.indexOf(x);
    if (at >= 0) list.splice(at, 1);
    list.unshift(x);
  }
  if (list.length > max) list.length = max;
}

export interface GroupsState {
  infos: Array<
    [key: string, end: number, firstSeen: number, consumer: string, networks: string[], agents: string[], shape: number, route: string, sketch: string, day: number, lo: number, hi: number, d24: number, alertedAt: number, listedAt: number, requests: number, routes: Array<[string, number]>, samples: string[], gateway: string]
  >;
  groups: Array<[name: string, keys: string[], last: number, seen: number]>;
}

export class Groups {
  private readonly infos = new Map<string, MemberInfo>();
  /** `seen`: keys ever filed (a key filed again after making room counts again: an upper bound). */
  private readonly groups = new Map<string, { keys: string[]; last: number; seen: number }>();

  info(key: string): MemberInfo | undefined {
    return this.infos.get(key);
  }

  get size(): number {
    return this.groups.size;
  }

  /** Takes a key's new summary; answers the groups it was filed under. */
  observe(s: WindowSummary, day: number): string[] {
    let info = this.infos.get(s.keyId);
    if (info) this.infos.delete(s.keyId);
    else {
      info = { key: s.keyId, end: 0, firstSeen: s.firstSeen, consumer: '', networks: [], agents: [], shape: 0, route: '', sketch: null, lo: -1, hi: -1, d24: 0, alertedAt: 0, listedAt: 0, requests: 0, routes: [], samples: [], gateway: '' };
      if (this.infos.size >= MAX_INFOS) this.infos.delete(this.infos.keys().next().value as string);
    }
    this.infos.set(s.keyId, info);
    info.end = s.end;
    if (s.consumer !== '') info.consumer = s.consumer;
    pushFront(info.networks, s.networks, MAX_NETWORKS);
    pushFront(info.agents, s.agents, MAX_AGENTS);
    info.shape = s.shape;
    info.d24 = s.distinct24h;
    if (s.alerted) info.alertedAt = info.listedAt = s.end;
    info.requests = s.requests;
    info.routes = s.routes;
    info.samples = s.samples;
    info.gateway = s.gateway;
    let best = -1;
    for (const c of s.cover) {
      const n = estimate(c.sketch, day);
      if (n > best) [best, info.route, info.sketch, info.lo, info.hi] = [n, c.route, c.sketch, c.lo, c.hi];
    }
    const names = new Set<string>();
    if (info.consumer !== '') names.add(`c:${info.consumer}`);
    for (const n of s.networks) {
      names.add(`n:${n}`);
      names.add(`a:${wideNetwork(n)}`);
    }
    for (const a of s.agents) names.add(`u:${a}`);
    for (const name of names) this.file(name, s.keyId, s.end);
    return [...names];
  }

  /** The key alerted on its own (`alone`), or was listed by a campaign alert. */
  markAlerted(key: string, end: number, alone: boolean): void {
    const i = this.infos.get(key);
    if (!i) return;
    if (alone && end > i.alertedAt) i.alertedAt = end;
    if (end > i.listedAt) i.listedAt = end;
  }

  private file(name: string, key: string, end: number): void {
    let g = this.groups.get(name);
    if (g) this.groups.delete(name);
    else {
      g = { keys: [], last: 0, seen: 0 };
      if (this.groups.size >= MAX_GROUPS) this.groups.delete(this.groups.keys().next().value as string);
    }
    this.groups.set(name, g);
    g.last = end;
    if (g.keys.includes(key)) return;
    g.seen++;
    if (g.keys.length >= MAX_MEMBERS) {
      // The member whose latest window is oldest makes room.
      let out = 0;
      for (let i = 1; i < g.keys.length; i++) if ((this.infos.get(g.keys[i] as string)?.end ?? 0) < (this.infos.get(g.keys[out] as string)?.end ?? 0)) out = i;
      g.keys.splice(out, 1);
    }
    g.keys.push(key);
  }

  /** Whether more than COMMON keys have shown this network or agent (`n:`, `a:` or `u:` name). */
  common(name: string): boolean {
    return (this.groups.get(name)?.seen ?? 0) > COMMON;
  }

  /** Keys of a group active at `now` (latest window within ACTIVE_MS). */
  active(name: string, now: number): MemberInfo[] {
    const g = this.groups.get(name);
    if (!g) return [];
    const out: MemberInfo[] = [];
    for (const k of g.keys) {
      const i = this.infos.get(k);
      if (i && i.end > now - ACTIVE_MS) out.push(i);
    }
    return out;
  }

  /** The linked parts of a group with two keys or more. */
  components(name: string, now: number): Component[] {
    const members = this.active(name, now).sort((a, b) => (a.key < b.key ? -1 : 1));
    if (members.length < 2) return [];
    const parent = members.map((_m, i) => i);
    const find = (i: number): number => {
      while (parent[i] !== i) {
        parent[i] = parent[parent[i] as number] as number;
        i = parent[i] as number;
      }
      return i;
    };
    const bases = members.map(() => new Set<Basis>());
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const shared = link(members[i] as MemberInfo, members[j] as MemberInfo, (n) => this.common(n));
        if (shared === null) continue;
        parent[find(i)] = find(j);
        for (const b of shared) {
          (bases[i] as Set<Basis>).add(b);
          (bases[j] as Set<Basis>).add(b);
        }
      }
    }
    const parts = new Map<number, number[]>();
    members.forEach((_m, i) => {
      const root = find(i);
      const list = parts.get(root) ?? [];
      list.push(i);
      parts.set(root, list);
    });
    const out: Component[] = [];
    for (const idx of parts.values()) {
      if (idx.length < 2) continue;
      const basis = new Set<Basis>();
      for (const i of idx) for (const b of bases[i] as Set<Basis>) basis.add(b);
      out.push({ members: idx.map((i) => members[i] as MemberInfo), basis: BASIS_ORDER.filter((b) => basis.has(b)), group: name });
    }
    return out;
  }

  toJSON(): GroupsState {
    return {
      infos: [...this.infos.values()].map((i) => [
        i.key, i.end, i.firstSeen, i.consumer, i.networks, i.agents, i.shape, i.route, i.sketch ? encodeSketch(i.sketch) : '', i.sketch?.day ?? 0, i.lo, i.hi, i.d24, i.alertedAt, i.listedAt, i.requests, i.routes, i.samples, i.gateway,
      ]),
      groups: [...this.groups].map(([name, g]) => [name, g.keys, g.last, g.seen]),
    };
  }

  static fromJSON(s: GroupsState): Groups {
    const x = new Groups();
    for (const [key, end, firstSeen, consumer, networks, agents, shape, route, sketch, day, lo, hi, d24, alertedAt, listedAt, requests, routes, samples, gateway] of s.infos) {
      const decoded = sketch === '' ? null : decodeSketch(sketch, day);
      x.infos.set(key, { key, end, firstSeen, consumer, networks, agents, shape, route, sketch: decoded, lo, hi, d24, alertedAt, listedAt, requests, routes, samples, gateway });
    }
    for (const [name, keys, last, seen] of s.groups) x.groups.set(name, { keys, last, seen });
    return x;
  }
}

/**
 * What two keys share, or null when it is not enough to link them. `common(name)`: whether a
 * network (`n:`, `a:`) or agent (`u:`) is too common to mean anything.
 */
export function link(a: MemberInfo, b: MemberInfo, common: (name: string) => boolean = () => false): Basis[] | null {
  const shared: Basis[] = [];
  const consumer = a.consumer !== '' && a.consumer === b.consumer;
  if (consumer) shared.push('consumer');
  let network = false;
  if (a.networks.some((n) => b.networks.includes(n) && !common(`n:${n}`))) {
    shared.push('network');
    network = true;
  } else {
    const wide = new Set(a.networks.map(wideNetwork));
    if (b.networks.some((n) => wide.has(wideNetwork(n)) && !common(`a:${wideNetwork(n)}`))) {
      shared.push('asn');
      network = true;
    }
  }
  const agent = a.agents.some((t) => b.agents.includes(t) && !common(`u:${t}`));
  if (agent) shared.push('agent');
  const shape = a.shape === b.shape;
  if (shape) shared.push('route_shape');
  return consumer || (network && (agent || shape)) ? shared : null;
}
