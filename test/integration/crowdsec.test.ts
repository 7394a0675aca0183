/**
 * The CrowdSec bridge end to end over a real redis-server and a real HTTP server playing the LAPI
 * (CrowdSec itself cannot run here): alerts a real Detector raises from the bundled sample become
 * LAPI alerts with `apikey` decisions, every body valid against CrowdSec's swagger models; a false-
 * positive verdict given through the API lifts the key's decision; alerts queued while the LAPI is
 * down survive a bridge restart in Redis and are pushed when it is back; /metrics counts it all.
 */
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, Config } from '../../contracts/index.js';
import { FanoutPublisher } from '../../detector/alerts/publish.js';
import { RedisAlertStore } from '../../detector/alerts/redis-alert-store.js';
import { AlertReview } from '../../detector/alerts/review.js';
import { buildApi } from '../../detector/api/app.js';
import { CROWDSEC_BOX } from '../../detector/crowdsec/enqueue.js';
import { createCrowdsec, type Crowdsec } from '../../detector/crowdsec/index.js';
import { Detector } from '../../detector/pipeline.js';
import { RedisProfileStore } from '../../detector/profiles/redis-store.js';
import { RedisOutbox } from '../../detector/webhooks/redis-outbox.js';
import { feed, testConfig } from '../support/detector-harness.js';
import { startFakeLapi, type FakeLapi } from '../support/crowdsec-lapi.js';
import { makeAlert } from '../support/alerts.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { sampleEvents } from '../support/sample-events.js';
import { until } from '../support/webhook-receiver.js';

const KEY_SECRET = 'crowdsec-itest-secret-0123456789';
const MACHINE = 'lowslow-itest';
const PASSWORD = 'canary-crowdsec-itest-pw-5b2e90';
const ADMIN = 'canary-crowdsec-admin-token-11aa';
const PREFIX = 'cs';

describe('CrowdSec bridge over real Redis', () => {
  let redisServer: RedisServer;
  let redis: Redis;
  let lapi: FakeLapi;
  const logs: string[] = [];
  let log: Logger;
  const bridges: Crowdsec[] = [];

  beforeAll(async () => {
    redisServer = await startRedisServer();
    redis = new Redis(redisServer.url);
    lapi = await startFakeLapi({ machineId: MACHINE, password: PASSWORD });
    log = pino({ level: 'debug' }, new Writable({ write: (c: Buffer, _e, cb) => (logs.push(c.toString()), cb()) }));
  }, 60_000);

  afterAll(async () => {
    for (const b of bridges) await b.dispatcher.stop();
    await lapi?.close();
    redis?.disconnect();
    await redisServer?.stop();
  });

  function config(url: string): Config {
    return testConfig({
      redis: { url: redisServer.url, prefix: PREFIX },
      detector: {
        crowdsec: { enabled: true, url, machine_id: MACHINE, password: PASSWORD, min_severity: 'low', retry_initial_seconds: 0.05, retry_max_seconds: 0.1, poll_seconds: 0.05, timeout_seconds: 5 },
      },
    });
  }

  function bridge(c: Config): Crowdsec {
    const b = createCrowdsec({ config: c.detector.crowdsec, outbox: new RedisOutbox(redis, PREFIX), log }) as Crowdsec;
    bridges.push(b);
    b.dispatcher.start();
    return b;
  }

  it("pushes a real Detector's alerts as apikey decisions, and a false-positive verdict lifts one", async () => {
    await redis.flushall();
    const c = config(lapi.url);
    const b = bridge(c);
    const alerts = new RedisAlertStore(redis, PREFIX);
    const raised: Alert[] = [];
    const publisher = new FanoutPublisher([{ publish: async (a: Alert) => void raised.push(a) }, b.enqueuer]);
    const d = new Detector({ config: c, store: new RedisProfileStore(redis, PREFIX), alerts, publisher, log });
    await d.init([0, 1, 2, 3]);
    await feed(d, sampleEvents(KEY_SECRET), 4);
    const open = raised.filter((a) => a.status === 'open');
    expect(open.length).toBeGreaterThanOrEqual(4);

    await until(() => lapi.alerts.length === open.length, 30_000, 'every alert in LAPI');
    expect(lapi.schemaErrors).toEqual([]);
    const keys = new Set(open.map((a) => a.key_id));
    expect(new Set(lapi.decisions.map((x) => x.value))).toEqual(keys);
    expect(lapi.decisions.every((x) => x.scope === 'apikey' && x.type === 'ban' && x.scenario === 'lowslow/api-key-abuse')).toBe(true);
    expect(lapi.requests.filter((r) => r.path === '/v1/watchers/login')).toHaveLength(1);

    // An analyst's false-positive verdict, through the API, reaches CrowdSec as the lifting of the key's decisions.
    const victim = open[0] as Alert;
    const api = buildApi({
      alerts,
      review: new AlertReview({ store: alerts, publisher }),
      metrics: () => b.families(),
      tokens: { admin: [ADMIN] },
      log,
      ui: false,
    });
    const auth = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    const r = await api.inject({ method: 'POST', url: `/v1/alerts/${victim.id}/feedback`, headers: auth, payload: { verdict: 'false_positive', note: 'our own crawler' } });
    expect(r.statusCode).toBe(200);
    await until(() => !lapi.decisions.some((x) => x.value === victim.key_id), 10_000, 'decision lifted');
    expect(lapi.decisions.length).toBeGreaterThan(0);

    const metrics = (await api.inject({ url: '/metrics', headers: { authorization: `Bearer ${ADMIN}` } })).body;
    expect(metrics).toContain(`lowslow_detector_crowdsec_alerts_pushed_total ${open.length}`);
    expect(metrics).toMatch(/lowslow_detector_crowdsec_decisions_deleted_total [1-9]/);
    expect(metrics).toContain('lowslow_detector_crowdsec_logins_total{outcome="ok"} 1');
    expect([...logs, metrics].join('\n')).not.toContain(PASSWORD);
    expect([...logs, metrics].join('\n')).not.toContain(lapi.tokens[0] as string);
    await api.close();
    await b.dispatcher.stop();
  }, 120_000);

  it('what was queued while the LAPI was down survives a restart of the bridge and is pushed when it is back', async () => {
    await redis.flushall();
    const down = await startFakeLapi({ machineId: MACHINE, password: PASSWORD });
    const url = down.url;
    await down.close();
    const first = bridge(config(url));
    const queued = [1, 2, 3].map((i) => ({ ...makeAlert(i), severity: 'high' as const, created_at: Date.now(), updated_at: Date.now() }));
    for (const a of queued) await first.enqueuer.publish(a);
    await until(() => first.metrics.retried >= 1, 10_000, 'a failed attempt');
    await first.dispatcher.stop();
    expect(await redis.zcard(`${PREFIX}:{wh:${CROWDSEC_BOX}}:due`)).toBe(3);

    // The LAPI comes back on another port; a new bridge (a restarted detector) finds the queue in Redis.
    const second = bridge(config(lapi.url));
    const before = lapi.alerts.length;
    await until(() => lapi.alerts.length === before + 3, 10_000, 'queued alerts pushed after the restart');
    expect(lapi.schemaErrors).toEqual([]);
    expect(new Set(lapi.decisions.slice(-3).map((x) => x.value))).toEqual(new Set(queued.map((a) => a.key_id)));
    await until(async () => (await new RedisOutbox(redis, PREFIX).status(CROWDSEC_BOX)).pending === 0, 5_000, 'empty queue');
    await second.dispatcher.stop();
  }, 60_000);
});
