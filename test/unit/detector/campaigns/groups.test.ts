import { describe, expect, it } from 'vitest';
import { Groups, link, type MemberInfo } from '../../../../detector/campaigns/groups.js';
import type { WindowSummary } from '../../../../detector/campaigns/summary.js';
import { newSketch, sketchAddHash } from '../../../../detector/profiles/coverage-sketch.js';
import { objectHash } from '../../../../detector/profiles/object-sketch.js';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 10, 9, 12);
const DAY = Math.floor(T / 86_400_000);
const key = (i: number) => i.toString(16).padStart(32, '0');

function summary(i: number, over: Partial<WindowSummary> = {}): WindowSummary {
  const sketch = newSketch(DAY);
  for (let id = 0; id < 300; id++) sketchAddHash(sketch, objectHash('/v*/customers/{int}', i * 10_000 + id), DAY);
  return {
    keyId: key(i),
    start: T - HOUR,
    end: T,
    firstSeen: T - 10 * 24 * HOUR,
    consumer: '',
    networks: [`100.${i}.7.0/24`],
    agents: [`a${i}`.padEnd(8, '0')],
    shape: 1000 + i,
    requests: 40,
    routes: [['/v1/customers/{int}', 40]],
    distinct24h: 300,
    alerted: false,
    firstOfDay: true,
    own: true,
    values: { requests: 40, distinct: 30, distinct_24h: 300, seq: 0, errors: 0 },
    cover: [{ route: '/v*/customers/{int}', sketch, lo: i * 10_000, hi: i * 10_000 + 299 }],
    window: null,
    gateway: 'nginx',
    hosts: ['h1'],
    samples: [`e${i}`],
    ...over,
  };
}

/** Five keys of one script: one provider's /16 (a /24 each), one agent, one route mix. */
const scraper = (i: number) => summary(i, { networks: [`198.51.${i}.0/24`], agents: ['5c2a91d0'], shape: 77 });

function member(over: Partial<MemberInfo>): MemberInfo {
  return { key: key(1), end: T, firstSeen: T - 10 * 24 * HOUR, consumer: '', networks: [], agents: [], shape: 0, route: '', sketch: null, lo: -1, hi: -1, d24: 0, alertedAt: 0, listedAt: 0, requests: 0, routes: [], samples: [], gateway: 'nginx', ...over };
}

describe('campaign groups', () => {
  it('links keys that share a provider block, an agent and a route mix into one part, listing every member', () => {
    const g = new Groups();
    const names = new Set<string>();
    for (let i = 1; i <= 5; i++) for (const n of g.observe(scraper(i), DAY)) names.add(n);
    const parts = [...names].flatMap((n) => g.components(n, T));
    expect(parts.length).toBeGreaterThan(0);
    for (const p of parts) {
      expect(p.members.map((m) => m.key)).toEqual([1, 2, 3, 4, 5].map(key));
      expect(p.basis).toEqual(['asn', 'agent', 'route_shape']);
    }
  });

  it('does not group unrelated keys, nor keys that share only one thing', () => {
    const g = new Groups();
    const names = new Set<string>();
    // Unrelated integrations: their own networks, agents and route mixes.
    for (let i = 10; i < 40; i++) for (const n of g.observe(summary(i), DAY)) names.add(n);
    // Two keys behind the same NAT network, otherwise nothing alike; two with one popular agent.
    for (const n of g.observe(summary(50, { networks: ['203.0.113.0/24'] }), DAY)) names.add(n);
    for (const n of g.observe(summary(51, { networks: ['203.0.113.0/24'] }), DAY)) names.add(n);
    for (const n of g.observe(summary(52, { agents: ['curl0000'] }), DAY)) names.add(n);
    for (const n of g.observe(summary(53, { agents: ['curl0000'] }), DAY)) names.add(n);
    expect([...names].flatMap((n) => g.components(n, T))).toEqual([]);
    // A network and one more thing links them; the same tool on the same route from elsewhere does not.
    expect(link(member({ networks: ['203.0.113.0/24'], shape: 5 }), member({ key: key(2), networks: ['203.0.113.0/24'], shape: 5 }))).toEqual(['network', 'route_shape']);
    expect(link(member({ networks: ['203.0.113.0/24'], agents: ['x'], shape: 5 }), member({ key: key(2), networks: ['192.0.2.0/24'], agents: ['x'], shape: 5 }))).toBeNull();
    // A network too many keys show (a cloud provider's block, a NAT) links nobody.
    expect(link(member({ networks: ['203.0.113.0/24'], shape: 5 }), member({ key: key(2), networks: ['203.0.113.0/24'], shape: 5 }), (n) => n === 'n:203.0.113.0/24' || n === 'a:203.0.0.0/16')).toBeNull();
  });

  it('links the keys of one consumer whatever else differs, and drops members inactive for two days', () => {
    const g = new Groups();
    const consumer = 'c'.repeat(32);
    g.observe(summary(60, { consumer }), DAY);
    g.observe(summary(61, { consumer }), DAY);
    g.observe(summary(62, { consumer, end: T - 3 * 24 * HOUR, start: T - 3 * 24 * HOUR - HOUR }), DAY);
    const parts = g.components(`c:${consumer}`, T);
    expect(parts).toHaveLength(1);
    expect(parts[0]?.members.map((m) => m.key)).toEqual([key(60), key(61)]);
    expect(parts[0]?.basis).toEqual(['consumer']);
  });

  it('stays bounded: a group keeps at most 16 members, the longest quiet making room', () => {
    const g = new Groups();
    for (let i = 1; i <= 40; i++) g.observe(summary(i, { agents: ['shared00'], end: T + i * 1000 }), DAY);
    const active = g.active('u:shared00', T + 40_000);
    expect(active).toHaveLength(16);
    expect(active.map((m) => m.key)).toContain(key(40));
    expect(active.map((m) => m.key)).not.toContain(key(1));
  });

  it('comes back the same from its stored form', () => {
    const g = new Groups();
    for (let i = 1; i <= 5; i++) g.observe(scraper(i), DAY);
    const back = Groups.fromJSON(JSON.parse(JSON.stringify(g.toJSON())));
    expect(back.components('u:5c2a91d0', T)).toEqual(g.components('u:5c2a91d0', T));
  });
});
