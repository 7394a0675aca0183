/**
 * Horizontal scale: the same event stream consumed by one detector owning every partition and by
 * two detectors owning half each (real nats-server, real redis-server) raises the same alerts.
 */
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { Redis } from 'ioredis';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../contracts/index.js';
import { createFileInput } from '../../agent/inputs/file/index.js';
import { Agent } from '../../agent/pipeline.js';
import { ensureStreams } from '../../bin/connect.js';
import { RedisAlertStore } from '../../detector/alerts/redis-alert-store.js';
import { consumeEvents } from '../../detector/consume/nats.js';
import { Detector } from '../../detector/pipeline.js';
import { RedisProfileStore } from '../../detector/profiles/redis-store.js';
import { CallbackAlertPublisher } from '../../detector/alerts/publish.js';
import { comparable, testConfig } from '../support/detector-harness.js';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { SAMPLE_LOG } from '../support/sample-events.js';

const SECRET = 'scale-test-secret-0123456789';
const LINES = gunzipSync(readFileSync(SAMPLE_LOG)).toString('utf8').trimEnd().split('\n').length;

describe('two detectors give the same alerts as one', () => {
  let nats: NatsServer;
  let redisServer: RedisServer;
  let redis: Redis;

  beforeAll(async () => {
    [nats, redisServer] = await Promise.all([startNatsServer(), startRedisServer()]);
    redis = new Redis(redisServer.url);
    // The bundled sample, published by a real agent.
    const dir = mkdtempSync(join(tmpdir(), 'lowslow-scale-'));
    const log = join(dir, 'access.json');
    writeFileSync(log, gunzipSync(readFileSync(SAMPLE_LOG)));
    const config = testConfig({
      key_secret: SECRET,
      inputs: { file: { paths: [log], from_beginning: true } },
      nats: { servers: [nats.url] },
      agent: { state_dir: join(dir, 'state'), metrics_port: -1 },
    });
    const nc = await connect({ servers: nats.url });
    await ensureStreams(nc, config.nats, ['events', 'alerts']);
    const agent = new Agent({ config, nc, log: pino({ level: 'silent' }), host: 'gw', inputs: [createFileInput(config)] });
    agent.start();
    for (let i = 0; i < 600 && agent.metrics.eventsPublished < LINES; i++) await sleep(50);
    await agent.stop();
    await nc.close();
    expect(agent.metrics.eventsPublished).toBe(LINES);
  }, 60_000);

  afterAll(async () => {
    redis?.disconnect();
    await Promise.all([nats?.stop(), redisServer?.stop()]);
  });

  async function run(prefix: string, owners: number[][]): Promise<ReturnType<typeof comparable>> {
    const nc = await connect({ servers: nats.url });
    const abort = new AbortController();
    const detectors: Detector[] = [];
    const running: Promise<void>[] = [];
    const alerts = new RedisAlertStore(redis, prefix);
    owners.forEach((partitions, i) => {
      const config: Config = testConfig({
        nats: { servers: [nats.url] },
        redis: { prefix },
        detector: { durable: `${prefix}-${i}`, partitions, idle_close_seconds: 3600 },
      });
      const detector = new Detector({
        config,
        store: new RedisProfileStore(redis, prefix),
        alerts,
        publisher: new CallbackAlertPublisher(() => undefined),
        log: pino({ level: 'silent' }),
      });
      detectors.push(detector);
      running.push(detector.init(partitions).then(() => consumeEvents({ nc, config, detector, partitions, log: pino({ level: 'silent' }), signal: abort.signal })));
    });
    const consumed = () => detectors.reduce((n, d) => n + d.metrics.eventsIn, 0);
    for (let i = 0; i < 1200 && consumed() < LINES; i++) await sleep(50);
    abort.abort();
    await Promise.all(running);
    await nc.close();
    expect(consumed()).toBe(LINES);
    return comparable((await alerts.list({}, 500, null)).alerts);
  }

  it('one detector with 8 partitions, then two with 4 each', async () => {
    const one = await run('one', [[0, 1, 2, 3, 4, 5, 6, 7]]);
    const two = await run('two', [
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    expect(one.length).toBeGreaterThanOrEqual(3);
    expect(two).toEqual(one);
  }, 120_000);
});
