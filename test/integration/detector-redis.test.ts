import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessEvent, Alert } from '../../contracts/index.js';
import { MemoryAlertStore } from '../../detector/alerts/memory-alert-store.js';
import { RedisAlertStore } from '../../detector/alerts/redis-alert-store.js';
import type { AlertCursor, AlertPage } from '../../detector/alerts/alert-store.js';
import { RedisProfileStore } from '../../detector/profiles/redis-store.js';
import { comparable, feed, harness } from '../support/detector-harness.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { sampleEvents } from '../support/sample-events.js';
import { makeAlert } from '../support/alerts.js';

const SECRET = 'redis-test-secret-0123456789';
const PARTITIONS = 4;

describe('detector with real Redis', () => {
  let server: RedisServer;
  let redis: Redis;
  let events: AccessEvent[];
  let reference: ReturnType<typeof comparable>;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
    events = sampleEvents(SECRET);
    const mem = harness();
    await feed(mem.detector, events, PARTITIONS);
    reference = comparable((mem.alerts as MemoryAlertStore).all());
    expect(reference.length).toBeGreaterThanOrEqual(4);
  }, 60_000);

  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('raises exactly the alerts the in-memory replay raises', async () => {
    await redis.flushall();
    const store = new RedisProfileStore(redis, 'ls');
    const alerts = new RedisAlertStore(redis, 'ls');
    const live = harness({ store, alerts });
    await live.detector.init([0, 1, 2, 3]);
    await feed(live.detector, events, PARTITIONS);
    const page = await alerts.list({}, 500, null);
    expect(comparable(page.alerts)).toEqual(reference);
  }, 60_000);

  it('a detector restarted halfway resumes from Redis and ends with the same alerts', async () => {
    await redis.flushall();
    const half = Math.floor(events.length / 2);
    const store = () => new RedisProfileStore(redis, 'ls');
    const alerts = new RedisAlertStore(redis, 'ls');
    const first = harness({ store: store(), alerts });
    await first.detector.init([0, 1, 2, 3]);
    const sent = await feed(first.detector, events.slice(0, half), PARTITIONS);

    const second = harness({ store: store(), alerts });
    await second.detector.init([0, 1, 2, 3]);
    // JetStream redelivers what was not acknowledged: the last message again, same sequence.
    const partition = 0;
    const seq = second.detector.appliedSeq(partition);
    expect(seq).toBeGreaterThan(0);
    await second.detector.ingest(partition, events.slice(0, 10), seq);
    expect(second.detector.metrics.redeliveriesSkipped).toBe(1);
    await feed(second.detector, events.slice(half), PARTITIONS, 256, sent + 1);
    const page = await alerts.list({}, 500, null);
    expect(comparable(page.alerts)).toEqual(reference);
  }, 60_000);

  it('keeps each key within 4 KB of Redis, under one hash tag', async () => {
    const keys = await redis.keys('ls:{*}:state');
    expect(keys.length).toBeGreaterThan(30);
    let max = 0;
    for (const k of keys) {
      expect(k).toMatch(/^ls:\{[0-9a-f]{32}\}:state$/);
      max = Math.max(max, (await redis.call('MEMORY', 'USAGE', k)) as number);
    }
    console.log(`largest key state in Redis: ${max} bytes over ${keys.length} keys`);
    expect(max).toBeLessThanOrEqual(4096);
  });

  it('lists, filters and pages alerts exactly as the memory store does', async () => {
    await redis.flushall();
    const r = new RedisAlertStore(redis, 'ls');
    const m = new MemoryAlertStore();
    for (let i = 0; i < 23; i++) {
      const a = makeAlert(i);
      await r.put(a);
      await m.put(a);
    }
    const filters = [{}, { key_id: 'a'.repeat(32) }, { severity: 'high' as const }, { gateway: 'envoy' }, { from: Date.UTC(2026, 10, 2, 5), to: Date.UTC(2026, 10, 2, 15) }];
    for (const f of filters) {
      for (const limit of [1, 4, 50]) {
        const pages = async (s: RedisAlertStore | MemoryAlertStore) => {
          const ids: string[] = [];
          let after: AlertCursor | null = null;
          for (let i = 0; i < 30; i++) {
            const p: AlertPage = await s.list(f, limit, after);
            ids.push(...p.alerts.map((a: Alert) => a.id));
            if (!p.next) break;
            after = p.next;
          }
          return ids;
        };
        expect(await pages(r)).toEqual(await pages(m));
      }
    }
    const open = await r.openFor('a'.repeat(32), 'behaviour');
    expect(open?.key_id).toBe('a'.repeat(32));
  });
});
