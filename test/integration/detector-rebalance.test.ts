/**
 * Adding a detector with real processes: one `lowslow detector` owning every partition takes the
 * first half of the stream and stops; then two processes split the partitions and take the rest.
 * A third run, one process over the whole stream from scratch in its own Redis prefix, is the
 * reference. The handover must lose and duplicate no event, raise the same alerts and leave the
 * same per-key profiles in Redis, each under its key's hash tag.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { Redis } from 'ioredis';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileInput } from '../../agent/inputs/file/index.js';
import { Agent } from '../../agent/pipeline.js';
import { ensureStreams } from '../../bin/connect.js';
import { RedisAlertStore } from '../../detector/alerts/redis-alert-store.js';
import { runCli, type CliProcess } from '../support/cli.js';
import { comparable, testConfig } from '../support/detector-harness.js';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { SAMPLE_LOG } from '../support/sample-events.js';

const SECRET = 'rebalance-secret-0123456789';
const PARTITIONS = 8;
const ALL = Array.from({ length: PARTITIONS }, (_, i) => i);
const lines = gunzipSync(readFileSync(SAMPLE_LOG)).toString('utf8').trimEnd().split('\n');

describe('adding a detector process (partitions reassigned)', () => {
  let nats: NatsServer;
  let redisServer: RedisServer;
  let redis: Redis;
  const dir = mkdtempSync(join(tmpdir(), 'lowslow-rebalance-'));
  const log = join(dir, 'access.json');
  const running: CliProcess[] = [];

  /** Publishes the lines through a real agent, appended to the file it follows. */
  async function publish(part: string[], total: number): Promise<void> {
    writeFileSync(log, `${part.join('\n')}\n`, { flag: 'a' });
    const config = testConfig({
      key_secret: SECRET,
      inputs: { file: { paths: [log], from_beginning: true } },
      nats: { servers: [nats.url], partitions: PARTITIONS },
      agent: { state_dir: join(dir, 'agent'), metrics_port: -1 },
    });
    const nc = await connect({ servers: nats.url });
    await ensureStreams(nc, config.nats, ['events', 'alerts']);
    const agent = new Agent({ config, nc, log: pino({ level: 'silent' }), host: 'gw', inputs: [createFileInput(config)] });
    agent.start();
    for (let i = 0; i < 1200 && agent.metrics.eventsPublished < part.length; i++) await sleep(50);
    await agent.stop();
    await nc.close();
    expect(agent.metrics.eventsPublished, `published of ${total}`).toBe(part.length);
  }

  function detector(prefix: string, durable: string, partitions: number[]): CliProcess {
    const p = runCli(['detector'], {
      LOWSLOW_NATS_SERVERS: nats.url,
      LOWSLOW_NATS_PARTITIONS: String(PARTITIONS),
      LOWSLOW_REDIS_URL: redisServer.url,
      LOWSLOW_REDIS_PREFIX: prefix,
      LOWSLOW_DETECTOR_DURABLE: durable,
      LOWSLOW_DETECTOR_PARTITIONS: partitions.join(','),
      // Only events move event time here, as in a replay; the wall clock never closes a window.
      LOWSLOW_DETECTOR_IDLE_CLOSE_SECONDS: '86400',
      LOWSLOW_API_PORT: '0',
    });
    running.push(p);
    return p;
  }

  async function eventsIn(p: CliProcess): Promise<number> {
    const line = await p.waitFor(/"url":"http:\/\/127\.0\.0\.1:\d+"/, 60_000);
    const { url } = JSON.parse(`{${line}}`) as { url: string };
    const text = await (await fetch(`${url}/metrics`)).text();
    return Number(/^lowslow_detector_events_in_total (\d+)/m.exec(text)?.[1] ?? 0);
  }

  async function until(processes: CliProcess[], events: number): Promise<number[]> {
    let counts: number[] = [];
    for (let i = 0; i < 1200; i++) {
      counts = await Promise.all(processes.map(eventsIn));
      if (counts.reduce((a, b) => a + b, 0) >= events) break;
      await sleep(100);
    }
    return counts;
  }

  /** Each key's stored profile, by key_id, with the prefix taken out of the Redis key. */
  async function states(prefix: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const k of await redis.keys(`${prefix}:{*}:state`)) {
      const id = /\{([0-9a-f]{32})\}/.exec(k)?.[1];
      expect(id, `${k} is under its key's hash tag`).toBeDefined();
      out.set(id!, ((await redis.getBuffer(k)) ?? Buffer.alloc(0)).toString("base64"));
    }
    return out;
  }

  beforeAll(async () => {
    [nats, redisServer] = await Promise.all([startNatsServer(), startRedisServer()]);
    redis = new Redis(redisServer.url);
    writeFileSync(log, '');
  }, 60_000);

  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    redis?.disconnect();
    await Promise.all([nats?.stop(), redisServer?.stop()]);
  });

  it('loses and duplicates no event, and ends with the alerts and profiles of one detector', async () => {
    const half = Math.floor(lines.length / 2);
    await publish(lines.slice(0, half), lines.length);

    const first = detector('live', 'live', ALL);
    expect(await until([first], half)).toEqual([half]);
    expect(await first.stop('SIGTERM')).toBe(0);

    await publish(lines.slice(half), lines.length);
    const a = detector('live', 'live', [0, 1, 2, 3]);
    const b = detector('live', 'live', [4, 5, 6, 7]);
    const split = await until([a, b], lines.length - half);
    // Each new process took only the events it had not seen: the durable consumers and the
    // stored checkpoints carry over.
    expect(split.reduce((x, y) => x + y, 0)).toBe(lines.length - half);
    expect(split.every((n) => n > 0)).toBe(true);
    await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')]);

    const reference = detector('ref', 'ref', ALL);
    expect(await until([reference], lines.length)).toEqual([lines.length]);
    await reference.stop('SIGTERM');

    const live = comparable((await new RedisAlertStore(redis, 'live').list({}, 500, null)).alerts);
    const ref = comparable((await new RedisAlertStore(redis, 'ref').list({}, 500, null)).alerts);
    expect(ref.length).toBeGreaterThanOrEqual(3);
    expect(live).toEqual(ref);

    const liveStates = await states('live');
    const refStates = await states('ref');
    expect(liveStates.size).toBeGreaterThan(30);
    expect([...liveStates.keys()].sort()).toEqual([...refStates.keys()].sort());
    for (const [id, s] of refStates) expect(liveStates.get(id), id).toBe(s);
  }, 240_000);
});
