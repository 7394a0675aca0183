/**
 * Open campaigns by id, with their members (bounded, least recently seen first out): a campaign
 * found again through another group, or grown by a key, keeps its id, so it stays one alert.
 */
import { createHash } from 'node:crypto';
import type { Campaign, CampaignMember } from '../../contracts/index.js';
import type { MemberInfo } from './groups.js';
import type { IdSpace } from './id-space.js';

const MAX_OPEN = 1000;
const MAX_MEMBERS = 32;

export type RegistryState = Array<[id: string, members: string[], last: number]>;

export class CampaignRegistry {
  private readonly open = new Map<string, { members: Set<string>; last: number }>();

  /** The id of the open campaign these keys mostly belong to, else a new one named by the group and period. */
  idFor(group: string, start: number, keys: string[]): string {
    for (const [id, c] of this.open) {
      const common = keys.filter((k) => c.members.has(k)).length;
      if (common * 2 >= Math.min(keys.length, c.members.size)) return id;
    }
    return createHash('sha256').update(`campaign|${group}|${start}`).digest('hex').slice(0, 32);
  }

  /** Files the members under the campaign and describes them (shares of `on.route` as `space` sees them). */
  describe(id: string, basis: Campaign['basis'], members: MemberInfo[], on: { route: string; share: number } | null, space: IdSpace, day: number): Campaign {
    let c = this.open.get(id);
    if (c) this.open.delete(id);
    else {
      c = { members: new Set(), last: 0 };
      if (this.open.size >= MAX_OPEN) this.open.delete(this.open.keys().next().value as string);
    }
    this.open.set(id, c);
    for (const m of members) c.members.add(m.key);
    c.last = day;
    const list: CampaignMember[] = members.map((m) => {
      const cov = on && m.sketch !== null && m.route === on.route ? space.coverage(on.route, m.sketch, day) : null;
      return { key_id: m.key, networks: m.networks.slice(0, 8), distinct_objects: Math.round(cov?.own ?? 0), share: Math.round((cov?.share ?? 0) * 10_000) / 10_000 };
    });
    list.sort((a, b) => b.share - a.share || (a.key_id < b.key_id ? -1 : 1));
    const campaign: Campaign = { id, basis: [...new Set(basis)], members: list.slice(0, MAX_MEMBERS) };
    if (on) {
      campaign.route = on.route;
      campaign.coverage = Math.round(Math.min(1, on.share) * 10_000) / 10_000;
    }
    return campaign;
  }

  toJSON(): RegistryState {
    return [...this.open].map(([id, c]) => [id, [...c.members], c.last]);
  }

  static fromJSON(s: RegistryState): CampaignRegistry {
    const r = new CampaignRegistry();
    for (const [id, members, last] of s) r.open.set(id, { members: new Set(members), last });
    return r;
  }
}
