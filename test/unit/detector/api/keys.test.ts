import { describe, expect, it } from 'vitest';
import { MemoryAlertStore } from '../../../../detector/alerts/memory-alert-store.js';
import { MemoryKeyRiskStore } from '../../../../detector/alerts/memory-key-risk-store.js';
import { buildApi } from '../../../../detector/api/app.js';
import { encodeRiskCursor } from '../../../../detector/api/cursor.js';
import { newProfile, type KeyState } from '../../../../detector/profiles/key-state.js';
import { MemoryProfileStore } from '../../../../detector/profiles/memory-store.js';

const key = (i: number) => i.toString(16).padStart(32, '0');
const T0 = Date.UTC(2026, 10, 2);

async function setup() {
  const risk = new MemoryKeyRiskStore();
  const profiles = new MemoryProfileStore();
  // 30 keys; key 7 and key 8 tie on their latest score.
  for (let i = 0; i < 30; i++) {
    risk.record(key(i), T0 + 3_600_000, 0.1);
    risk.record(key(i), T0 + 7_200_000, i === 8 ? 0.07 : i / 100);
  }
  const st: KeyState = { key_id: key(3), profile: newProfile(T0), window: null };
  st.profile.windows = 40;
  st.profile.routes = { '/v1/customers/{int}': 30, '/v1/orders': 10 };
  st.profile.networks = { '10.0.0.0/24': 3, '192.0.2.0/24': 1 };
  st.profile.agents = { a1b2c3d4: 2 };
  st.profile.how[9] = 4;
  st.profile.how[10] = 4;
  st.profile.base.requests = { m: 12.5, v: 1 };
  st.profile.max_page = 7;
  await profiles.save(0, [st], null);
  const app = buildApi({ alerts: new MemoryAlertStore(), keys: { risk, profiles } });
  const get = async (url: string) => {
    const r = await app.inject({ url });
    return { status: r.statusCode, body: r.json() };
  };
  return { get };
}

describe('keys API', () => {
  it('ranks keys by the score of their latest window and pages through all of them once', async () => {
    const { get } = await setup();
    const seen: Array<{ key_id: string; score: number; window_end: number }> = [];
    let url = '/v1/keys?limit=7';
    for (let i = 0; i < 10; i++) {
      const r = await get(url);
      expect(r.status).toBe(200);
      seen.push(...r.body.keys);
      if (!r.body.next_cursor) break;
      url = `/v1/keys?limit=7&cursor=${r.body.next_cursor}`;
    }
    expect(seen).toHaveLength(30);
    expect(new Set(seen.map((k) => k.key_id)).size).toBe(30);
    expect(seen[0]).toEqual({ key_id: key(29), score: 0.29, window_end: T0 + 7_200_000 });
    for (let i = 1; i < seen.length; i++) expect(seen[i - 1]!.score).toBeGreaterThanOrEqual(seen[i]!.score);
    // Ties: key_id descending.
    expect(seen.findIndex((k) => k.key_id === key(8))).toBeLessThan(seen.findIndex((k) => k.key_id === key(7)));
  });

  it("summarises a key's profile with its recent scores", async () => {
    const { get } = await setup();
    const r = await get(`/v1/keys/${key(3)}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      key_id: key(3),
      first_seen: T0,
      windows: 40,
      latest: { window_end: T0 + 7_200_000, score: 0.03 },
      recent_scores: [{ window_end: T0 + 7_200_000, score: 0.03 }, { window_end: T0 + 3_600_000, score: 0.1 }],
      top_routes: [{ route: '/v1/customers/{int}', share: 0.75 }, { route: '/v1/orders', share: 0.25 }],
      networks: [{ network: '10.0.0.0/24', share: 0.75 }, { network: '192.0.2.0/24', share: 0.25 }],
      user_agents: 1,
      usual: { requests: 12.5, max_page: 7 },
      open_window: null,
    });
    expect(r.body.hour_of_week).toHaveLength(168);
    expect(r.body.hour_of_week[9]).toBe(0.5);
  });

  it('answers a key with scores but no stored profile, and 404 for an unknown key', async () => {
    const { get } = await setup();
    const scored = await get(`/v1/keys/${key(4)}`);
    expect(scored.status).toBe(200);
    expect(scored.body).toMatchObject({ windows: 0, first_seen: null, top_routes: [] });
    const missing = await get(`/v1/keys/${'f'.repeat(32)}`);
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain('no profile');
  });

  it.each([
    ['/v1/keys?limit=0', 'limit'],
    ['/v1/keys?limit=501', 'limit'],
    ['/v1/keys?limit=ten', 'limit'],
    ['/v1/keys?cursor=not-a-cursor', 'cursor'],
    [`/v1/keys?cursor=${Buffer.from('0.5|XYZ').toString('base64url')}`, 'cursor'],
    [`/v1/keys?cursor=${Buffer.from('NaN|' + key(1)).toString('base64url')}`, 'cursor'],
    [`/v1/keys?cursor=${'A'.repeat(200)}`, 'cursor'],
    [`/v1/keys?cursor=${Buffer.from('0.50|' + key(1)).toString('base64url')}`, 'cursor'],
    [`/v1/keys?cursor=${encodeRiskCursor({ score: 0.5, key_id: key(1) })}==`, 'cursor'],
    ['/v1/keys?sort=asc', 'sort'],
    ['/v1/keys/ZZZ', 'key_id'],
    [`/v1/keys/${'a'.repeat(33)}`, 'key_id'],
  ])('%s is a 400 naming %s', async (url, field) => {
    const { get } = await setup();
    const r = await get(url);
    expect(r.status).toBe(400);
    expect(r.body.message).toContain(field);
  });

  it('accepts the cursors it hands out', async () => {
    const { get } = await setup();
    const r = await get(`/v1/keys?limit=3&cursor=${encodeRiskCursor({ score: 0.2, key_id: key(20) })}`);
    expect(r.body.keys.map((k: { key_id: string }) => k.key_id)).toEqual([key(19), key(18), key(17)]);
  });
});
