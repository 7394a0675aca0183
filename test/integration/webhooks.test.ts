/**
 * Webhook delivery end to end over real Redis and NATS: alerts raised by a real Detector reach
 * three real local receivers (signed generic JSON checked by the receiver, a Splunk HEC that fails
 * twice per delivery, a slow Slack), and NATS; a dispatcher restart delivers what was pending;
 * a receiver that sleeps 10 s does not slow ingest; no secret reaches a log or a response; a
 * target added through the API survives a restart; an analyst's status change reaches receivers
 * and NATS; /readyz follows real Redis and NATS going away.
 */
import { Writable } from 'node:stream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAlert, type AccessEvent, type Alert, type Config } from '../../contracts/index.js';
import { ensureStreams } from '../../bin/connect.js';
import { FanoutPublisher, NatsAlertPublisher } from '../../detector/alerts/publish.js';
import { RedisAlertStore } from '../../detector/alerts/redis-alert-store.js';
import { RedisKeyRiskStore } from '../../detector/alerts/redis-key-risk-store.js';
import { AlertReview } from '../../detector/alerts/review.js';
import { buildApi } from '../../detector/api/app.js';
import { dependencyChecks } from '../../detector/api/health.js';
import { Detector } from '../../detector/pipeline.js';
import { RedisProfileStore } from '../../detector/profiles/redis-store.js';
import { createWebhooks, type Webhooks } from '../../detector/webhooks/index.js';
import { deliveryId } from '../../detector/webhooks/outbox.js';
import { verifySignature } from '../../detector/webhooks/sign.js';
import { feed, testConfig } from '../support/detector-harness.js';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { sampleEvents } from '../support/sample-events.js';
import { makeAlert } from '../support/alerts.js';
import { startReceiver, until, type Receiver } from '../support/webhook-receiver.js';

const KEY_SECRET = 'webhooks-itest-secret-0123456789';
const GOOD_SECRET = 'canary-generic-hmac-5e1f0a9b';
const HEC_TOKEN = 'canary-splunk-hec-7c2d44e0';
const SLACK_PATH = '/services/TCANARY/BCANARY/canaryslack93';
const ADMIN = 'canary-admin-token-2a9b8c7d';
const PREFIX = 'wh';

describe('webhook delivery over real Redis and NATS', () => {
  let redisServer: RedisServer;
  let natsServer: NatsServer;
  let redis: Redis;
  let nc: NatsConnection;
  let events: AccessEvent[];
  const logs: string[] = [];
  let log: Logger;
  const receivers: Receiver[] = [];
  const running: Webhooks[] = [];

  beforeAll(async () => {
    [redisServer, natsServer] = await Promise.all([startRedisServer(), startNatsServer()]);
    redis = new Redis(redisServer.url);
    nc = await connect({ servers: natsServer.url });
    events = sampleEvents(KEY_SECRET);
    log = pino({ level: 'debug' }, new Writable({ write: (c: Buffer, _e, cb) => (logs.push(c.toString()), cb()) }));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(running.map((w) => w.dispatcher.stop()));
    await Promise.all(receivers.map((r) => r.close()));
    await nc?.close();
    redis?.disconnect();
    await Promise.all([redisServer?.stop(), natsServer?.stop()]);
  });

  async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
    const r = await startReceiver(...args);
    receivers.push(r);
    return r;
  }

  function config(targets: unknown[], over: Record<string, unknown> = {}): Config {
    return testConfig({
      redis: { url: redisServer.url, prefix: PREFIX },
      nats: { servers: [natsServer.url] },
      api: { admin_tokens: [ADMIN] },
      webhooks: { allow_private: true, retry_initial_seconds: 0.05, retry_max_seconds: 0.2, poll_seconds: 0.05, timeout_seconds: 5, targets, ...over },
    });
  }

  function start(c: Config, env: NodeJS.ProcessEnv = {}): Webhooks {
    const w = createWebhooks({ config: c.webhooks, redis, prefix: PREFIX, log, env });
    running.push(w);
    w.dispatcher.start();
    return w;
  }

  function detector(c: Config, w: Webhooks): Detector {
    return new Detector({
      config: c,
      store: new RedisProfileStore(redis, PREFIX),
      alerts: new RedisAlertStore(redis, PREFIX),
      publisher: new FanoutPublisher([new NatsAlertPublisher(nc), w.enqueuer]),
      log,
      risk: new RedisKeyRiskStore(redis, PREFIX),
    });
  }

  async function natsAlerts(): Promise<Array<{ subject: string; alert: Alert }>> {
    const total = (await (await jetstreamManager(nc)).streams.info('LOWSLOW_ALERTS')).state.messages;
    const consumer = await jetstream(nc).consumers.get('LOWSLOW_ALERTS');
    const out: Array<{ subject: string; alert: Alert }> = [];
    while (out.length < total) {
      const batch = await consumer.fetch({ max_messages: total - out.length, expires: 2_000 });
      let got = 0;
      for await (const m of batch) {
        got++;
        out.push({ subject: m.subject, alert: m.json<Alert>() });
      }
      if (got === 0) break;
    }
    return out;
  }

  it('delivers every alert a real Detector raises to three receivers, and the same alerts are on NATS', async () => {
    await redis.flushall();
    await ensureStreams(nc, testConfig().nats, ['alerts']);
    // Good: generic, and the receiver itself checks the signature.
    const good = await receiver((r) => ({ status: verifySignature(GOOD_SECRET, r.headers['x-lowslow-signature'] as string, r.body, Date.now()) ? 200 : 401 }));
    // Splunk HEC that fails the first two attempts of every delivery.
    const tries = new Map<string, number>();
    const hec = await receiver((r) => {
      const id = r.headers['x-lowslow-delivery'] as string;
      tries.set(id, (tries.get(id) ?? 0) + 1);
      if (r.headers.authorization !== `Splunk ${HEC_TOKEN}`) return { status: 403 };
      return { status: (tries.get(id) ?? 0) <= 2 ? 503 : 200 };
    });
    const slack = await receiver(() => ({ status: 200, delayMs: 1_500 }));
    const c = config([
      { name: 'good', url: good.url, secret: GOOD_SECRET },
      { name: 'hec', url: hec.url, format: 'splunk', secret_env: 'TEST_HEC_TOKEN' },
      { name: 'slack', url: `http://127.0.0.1:${slack.port}${SLACK_PATH}`, format: 'slack' },
    ]);
    const w = start(c, { TEST_HEC_TOKEN: HEC_TOKEN });
    const d = detector(c, w);
    await d.init([0, 1, 2, 3]);
    await feed(d, events, 4);

    const published = await natsAlerts();
    expect(published.length).toBeGreaterThanOrEqual(4);
    for (const p of published) {
      expect(validateAlert(p.alert)).toBe(true);
      expect(p.subject).toBe(`lowslow.alerts.${p.alert.severity}.nginx`);
    }
    const ids = published.map((p) => deliveryId(p.alert)).sort();
    const delivered = (r: Receiver) => [...new Set(r.accepted.map((x) => x.headers['x-lowslow-delivery'] as string))].sort();
    await until(() => delivered(good).length === ids.length && delivered(hec).length === ids.length && delivered(slack).length === ids.length, 30_000, 'all deliveries');
    expect(delivered(good)).toEqual(ids);
    expect(delivered(hec)).toEqual(ids);
    expect(delivered(slack)).toEqual(ids);
    expect(good.received.length).toBe(ids.length);
    for (const id of ids) expect(tries.get(id)).toBe(3);
    for (const x of hec.accepted) expect(validateAlert((JSON.parse(x.body) as { event: Alert }).event)).toBe(true);
    for (const x of slack.accepted) expect((JSON.parse(x.body) as { text: string }).text).toMatch(/lowslow alert/);

    // Delivery status in the API and in metrics.
    const api = buildApi({ alerts: new RedisAlertStore(redis, PREFIX), webhooks: w, metrics: () => w.families(), tokens: { admin: [ADMIN] }, log });
    const auth = { authorization: `Bearer ${ADMIN}` };
    await until(async () => (await w.outbox.status('hec')).delivered === ids.length, 5_000, 'outbox status');
    const list = (await api.inject({ url: '/v1/webhooks', headers: auth })).json() as { webhooks: Array<{ name: string; delivery: { delivered: number; pending: number; failed_attempts: number } }> };
    const hecView = list.webhooks.find((x) => x.name === 'hec');
    expect(hecView?.delivery).toMatchObject({ delivered: ids.length, pending: 0, failed_attempts: 2 * ids.length });
    const metrics = (await api.inject({ url: '/metrics', headers: auth })).body;
    expect(metrics).toContain(`lowslow_webhook_deliveries_total{target="good",outcome="delivered"} ${ids.length}`);
    expect(metrics).toContain(`lowslow_webhook_deliveries_total{target="hec",outcome="retried"} ${2 * ids.length}`);
    expect(metrics).toContain('lowslow_webhook_pending{target="slack"} 0');

    // Canaries: no secret in any log line or API response.
    const responses = await Promise.all(
      ['/v1/webhooks', '/v1/webhooks/good', '/v1/webhooks/hec', '/v1/webhooks/slack', '/metrics', '/docs/json', '/v1/alerts'].map(async (url) => (await api.inject({ url, headers: auth })).body),
    );
    const everything = [...logs, ...responses].join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const canary of [GOOD_SECRET, HEC_TOKEN, 'canaryslack93', ADMIN, KEY_SECRET]) expect(everything).not.toContain(canary);
    await api.close();
    await w.dispatcher.stop();
  }, 90_000);

  it('a restarted dispatcher over the same Redis delivers what was pending', async () => {
    await redis.flushall();
    let up = false;
    const r = await receiver(() => ({ status: up ? 200 : 503 }));
    const c = config([{ name: 'later', url: r.url, secret: GOOD_SECRET }], { retry_initial_seconds: 0.5, retry_max_seconds: 0.5 });
    const first = start(c);
    const alerts = [0, 1, 2, 3, 4].map((i) => makeAlert(i));
    for (const a of alerts) await first.enqueuer.publish(a);
    await until(() => r.received.length >= 5, 5_000, 'first attempts');
    await first.dispatcher.stop();
    // Everything is still queued in Redis, under the target's hash tag.
    expect(await redis.zcard(`${PREFIX}:{wh:later}:due`)).toBe(5);
    expect(r.accepted).toHaveLength(0);

    up = true;
    const second = start(c);
    await until(() => r.accepted.length === 5, 10_000, 'deliveries after the restart');
    expect(new Set(r.accepted.map((x) => (JSON.parse(x.body) as Alert).id))).toEqual(new Set(alerts.map((a) => a.id)));
    await until(async () => (await second.outbox.status('later')).pending === 0, 5_000, 'empty outbox');
    expect(await second.outbox.status('later')).toMatchObject({ delivered: 5, pending: 0, dead: 0 });
    await second.dispatcher.stop();
  }, 30_000);

  it('a receiver that sleeps 10 s does not slow Detector.ingest', async () => {
    await redis.flushall();
    const sleepy = await receiver(() => ({ status: 200, delayMs: 10_000 }));
    const c = config([{ name: 'sleepy', url: sleepy.url, secret: GOOD_SECRET }], { timeout_seconds: 15 });
    const w = start(c);
    const d = detector(c, w);
    await d.init([0, 1, 2, 3]);
    const times: number[] = [];
    const ingest = d.ingest.bind(d);
    d.ingest = async (p, batch, seq) => {
      const t0 = performance.now();
      await ingest(p, batch, seq);
      times.push(performance.now() - t0);
    };
    const t0 = performance.now();
    await feed(d, events, 4);
    const total = performance.now() - t0;
    expect(d.metrics.alertsRaised).toBeGreaterThanOrEqual(4);
    // Alerts were handed to the receiver, which is still asleep on them.
    await until(() => sleepy.received.length > 0, 5_000, 'a delivery attempt');
    expect(sleepy.accepted).toHaveLength(0);
    console.log(`ingest with a 10 s receiver: ${times.length} batches in ${Math.round(total)} ms, slowest ${Math.round(Math.max(...times))} ms`);
    expect(total).toBeLessThan(8_000);
    expect(Math.max(...times)).toBeLessThan(1_000);
    await w.dispatcher.stop();
  }, 60_000);
  it('a target added through the API survives a restart and receives signed deliveries', async () => {
    await redis.flushall();
    const r = await receiver((x) => ({ status: verifySignature(GOOD_SECRET, x.headers['x-lowslow-signature'] as string, x.body, Date.now()) ? 200 : 401 }));
    const c = config([]);
    const auth = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    const first = start(c);
    const api1 = buildApi({ alerts: new RedisAlertStore(redis, PREFIX), webhooks: first, tokens: { admin: [ADMIN] } });
    const created = await api1.inject({ method: 'POST', url: '/v1/webhooks', headers: auth, payload: JSON.stringify({ name: 'soc', url: r.url, secret: GOOD_SECRET, min_severity: 'medium' }) });
    expect(created.statusCode).toBe(201);
    await api1.close();
    await first.dispatcher.stop();

    // A new process over the same Redis: the target is there, and alerts reach it.
    const second = start(c);
    const api2 = buildApi({ alerts: new RedisAlertStore(redis, PREFIX), webhooks: second, tokens: { admin: [ADMIN] } });
    const list = (await api2.inject({ url: '/v1/webhooks', headers: auth })).json() as { webhooks: Array<{ name: string; origin: string; min_severity: string }> };
    expect(list.webhooks).toEqual([expect.objectContaining({ name: 'soc', origin: 'api', min_severity: 'medium' })]);
    const alerts = [0, 1, 2, 3].map((i) => makeAlert(i));
    for (const a of alerts) await second.enqueuer.publish(a);
    const wanted = alerts.filter((a) => a.severity !== 'low').map((a) => a.id).sort();
    await until(() => r.accepted.length === wanted.length, 10_000, 'deliveries to the API target');
    expect(r.accepted.map((x) => (JSON.parse(x.body) as Alert).id).sort()).toEqual(wanted);
    expect(r.received.length).toBe(wanted.length);
    // Removed through the API: gone after the next restart too.
    expect((await api2.inject({ method: 'DELETE', url: '/v1/webhooks/soc', headers: { authorization: `Bearer ${ADMIN}` } })).statusCode).toBe(204);
    await api2.close();
    await second.dispatcher.stop();
    const third = start(c);
    expect(await third.targets.list()).toEqual([]);
    await third.dispatcher.stop();
  }, 30_000);

  it("an analyst's status change through the API reaches the receivers and NATS as a new delivery", async () => {
    await redis.flushall();
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete('LOWSLOW_ALERTS').catch(() => undefined);
    await ensureStreams(nc, testConfig().nats, ['alerts']);
    const r = await receiver(() => ({ status: 200 }));
    const w = start(config([{ name: 'soc', url: r.url, secret: GOOD_SECRET }]));
    const store = new RedisAlertStore(redis, PREFIX);
    const publisher = new FanoutPublisher([new NatsAlertPublisher(nc), w.enqueuer]);
    const a = makeAlert(3);
    await publisher.publish(a);
    await store.put(a);
    await until(() => r.accepted.length === 1, 10_000, 'the open alert');
    const api = buildApi({ alerts: store, review: new AlertReview({ store, publisher }), webhooks: w, tokens: { admin: [ADMIN] } });
    const auth = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    expect((await api.inject({ method: 'POST', url: `/v1/alerts/${a.id}/ack`, headers: { authorization: `Bearer ${ADMIN}` } })).statusCode).toBe(200);
    const fp = await api.inject({ method: 'POST', url: `/v1/alerts/${a.id}/feedback`, headers: auth, payload: JSON.stringify({ verdict: 'false_positive', note: 'partner export' }) });
    expect(fp.statusCode).toBe(200);
    await until(() => r.accepted.length === 3, 10_000, 'the status changes');
    const got = r.accepted.map((x) => ({ delivery: x.headers['x-lowslow-delivery'] as string, alert: JSON.parse(x.body) as Alert }));
    expect(got.map((g) => [g.alert.id, g.alert.status])).toEqual([
      [a.id, 'open'],
      [a.id, 'acknowledged'],
      [a.id, 'false_positive'],
    ]);
    expect(new Set(got.map((g) => g.delivery)).size).toBe(3);
    expect(got[2]?.alert.feedback).toMatchObject({ verdict: 'false_positive', note: 'partner export' });
    for (const g of got) expect(validateAlert(g.alert)).toBe(true);
    expect((await natsAlerts()).map((p) => p.alert.status)).toEqual(['open', 'acknowledged', 'false_positive']);
    await api.close();
    await w.dispatcher.stop();
  }, 30_000);

  it('/readyz answers 200 while real Redis and NATS answer, and 503 naming the one that went away', async () => {
    const [ownRedis, ownNats] = await Promise.all([startRedisServer(), startNatsServer()]);
    const rc = new Redis(ownRedis.url, { maxRetriesPerRequest: 1, retryStrategy: () => 200 });
    rc.on('error', () => undefined);
    const conn = await connect({ servers: ownNats.url, reconnectTimeWait: 200, maxReconnectAttempts: -1 });
    const api = buildApi({ alerts: new RedisAlertStore(rc, PREFIX), health: dependencyChecks({ redis: rc, nc: conn }), tokens: { admin: [ADMIN] } });
    try {
      await until(() => rc.status === 'ready', 5_000, 'redis client ready');
      const ok = await api.inject({ url: '/readyz' });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ status: 'ok', checks: { nats: 'ok', redis: 'ok' } });

      await ownRedis.stop();
      await until(() => rc.status !== 'ready', 5_000, 'redis client to notice');
      const noRedis = await api.inject({ url: '/readyz' });
      expect(noRedis.statusCode).toBe(503);
      expect(noRedis.json()).toMatchObject({ status: 'unavailable', checks: { nats: 'ok', redis: expect.stringMatching(/^unreachable \(/) } });

      await ownNats.stop();
      const neither = await api.inject({ url: '/readyz' });
      expect(neither.statusCode).toBe(503);
      expect(neither.json().checks.nats).not.toBe('ok');
      expect(neither.body).not.toContain(ownRedis.url);
      expect(neither.body).not.toMatch(/\n\s+at /);
    } finally {
      await api.close();
      rc.disconnect();
      await conn.close().catch(() => undefined);
      await Promise.all([ownRedis.stop().catch(() => undefined), ownNats.stop().catch(() => undefined)]);
    }
  }, 30_000);
});
