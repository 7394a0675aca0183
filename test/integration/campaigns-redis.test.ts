import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../contracts/index.js';
import { RedisAlertStore } from '../../detector/alerts/redis-alert-store.js';
import { RedisProfileStore } from '../../detector/profiles/redis-store.js';
import { distributedScraper, DAY, SCRAPERS, T0, traffic } from '../support/campaign-traffic.js';
import { feed, harness } from '../support/detector-harness.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

describe('campaigns with real Redis', () => {
  let server: RedisServer;
  let redis: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
  }, 60_000);

  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('a detector restarted halfway keeps the one campaign alert, and every key with its coverage sketches stays within 4 KB', async () => {
    const events = traffic(distributedScraper);
    const all = [...Array(8).keys()];
    const alerts = new RedisAlertStore(redis, 'ls');
    const cut = T0 + 8 * DAY;
    const first = harness({ store: new RedisProfileStore(redis, 'ls'), alerts });
    await first.detector.init(all);
    const sent = await feed(first.detector, events.filter((e) => e.ts < cut), 8);
    // The stage's state is in Redis, deflated, under the detector's partitions.
    expect(await redis.exists('ls:shared:campaigns:0,1,2,3,4,5,6,7')).toBe(1);

    const second = harness({ store: new RedisProfileStore(redis, 'ls'), alerts });
    await second.detector.init(all);
    await feed(second.detector, events.filter((e) => e.ts >= cut), 8, 256, sent + 1);
    await second.detector.finish();

    const stored = (await alerts.list({}, 500, null)).alerts.filter((a: Alert) => a.kind === 'campaign');
    expect(stored).toHaveLength(1);
    expect(stored[0]?.campaign?.members.map((m) => m.key_id).sort()).toEqual([...SCRAPERS].sort());
    expect((await alerts.openFor(stored[0]?.key_id as string, 'campaign'))?.id).toBe(stored[0]?.id);

    const keys = await redis.keys('ls:{*}:state');
    expect(keys.length).toBeGreaterThan(60);
    let max = 0;
    for (const k of keys) max = Math.max(max, (await redis.call('MEMORY', 'USAGE', k)) as number);
    expect(max).toBeLessThanOrEqual(4096);
  }, 120_000);
});
