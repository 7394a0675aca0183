/**
 * `npm run bench:detector`: events/s through NATS → detector → Redis with scoring, in one detector
 * process owning every partition, and Redis bytes per key. Target (DESIGN.md): ≥ 50,000 events/s
 * per detector process, ≤ 4 KB of Redis per key.
 * The events are the simulator's (BENCH_LINES lines, default 1,000,000), published first by the
 * real agent pipeline; the timed part is the detector alone, from its first to its last event.
 */
import { cpus, totalmem, tmpdir } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { Redis } from 'ioredis';
import { connect } from '@nats-io/transport-node';
import type { Config } from '../../contracts/index.js';
import { createFileInput } from '../../agent/inputs/file/index.js';
import { Agent } from '../../agent/pipeline.js';
import { ensureStreams } from '../../bin/connect.js';
import { RedisAlertStore } from '../../detector/alerts/redis-alert-store.js';
import { CallbackAlertPublisher } from '../../detector/alerts/publish.js';
import { consumeEvents } from '../../detector/consume/nats.js';
import { Detector } from '../../detector/pipeline.js';
import { RedisProfileStore } from '../../detector/profiles/redis-store.js';
import { testConfig } from '../support/detector-harness.js';
import { startNatsServer } from '../support/nats-server.js';
import { startRedisServer } from '../support/redis-server.js';
import { simulate } from '../sim/simulate.js';
import { writeLog } from '../sim/write-log.js';

const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const dir = join(process.cwd(), '.tmp', 'bench');
mkdirSync(dir, { recursive: true });
const days = Math.max(1, Math.round((17 * LINES) / 1_000_000));
const file = join(dir, `replay-${LINES}.log`);
if (!existsSync(file)) await writeLog(simulate({ seed: 7, days, start: '2026-11-02T00:00:00Z', keys: 300 }).lines, file);

const [nats, redisServer] = await Promise.all([startNatsServer(), startRedisServer()]);
try {
  const base = testConfig({
    key_secret: 'bench-detector-secret-0123456789',
    inputs: { file: { paths: [file], from_beginning: true } },
    nats: { servers: [nats.url], batch_size: 500 },
    agent: { state_dir: mkdtempSync(join(tmpdir(), 'lowslow-bench-det-')), metrics_port: -1 },
    detector: { idle_close_seconds: 3600 },
  });
  const nc = await connect({ servers: nats.url });
  await ensureStreams(nc, base.nats, ['events', 'alerts']);
  process.stderr.write('publishing the simulated log through the agent …\n');
  const agent = new Agent({ config: base, nc, log: pino({ level: 'silent' }), host: 'bench', inputs: [createFileInput(base)] });
  agent.start();
  let total = 0;
  for (;;) {
    await sleep(200);
    const m = agent.metrics;
    if (m.linesRead > 0 && m.eventsPublished + m.rejectedTotal >= m.linesRead && m.linesRead === total) break;
    total = m.linesRead;
  }
  await agent.stop();
  const events = agent.metrics.eventsPublished;

  const redis = new Redis(redisServer.url);
  const config: Config = { ...base };
  const detector = new Detector({
    config,
    store: new RedisProfileStore(redis, 'lowslow'),
    alerts: new RedisAlertStore(redis, 'lowslow'),
    publisher: new CallbackAlertPublisher(() => undefined),
    log: pino({ level: 'silent' }),
  });
  const partitions = [...Array(config.nats.partitions).keys()];
  await detector.init(partitions);
  const abort = new AbortController();
  let peakRss = 0;
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const running = consumeEvents({ nc, config, detector, partitions, log: pino({ level: 'silent' }), signal: abort.signal });
  while (detector.metrics.eventsIn < events) {
    await sleep(20);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  abort.abort();
  await running;
  const keys = await redis.keys('lowslow:{*}:state');
  let max = 0;
  let sum = 0;
  for (const k of keys) {
    const b = (await redis.call('MEMORY', 'USAGE', k)) as number;
    sum += b;
    if (b > max) max = b;
  }
  const alerts = (await new RedisAlertStore(redis, 'lowslow').list({}, 500, null)).alerts.length;
  redis.disconnect();
  await nc.close();
  const row = (k: string, v: string) => process.stdout.write(`${k.padEnd(30)} ${v}\n`);
  process.stdout.write(`lowslow bench:detector on ${cpus()[0]?.model ?? 'cpu'} (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB), node ${process.version}; nats-server and redis-server on the same machine\n`);
  row('events consumed', `${events.toLocaleString('en')} (${keys.length} keys, ${days} days, ${partitions.length} partitions, one detector)`);
  row('throughput', `${Math.round(events / seconds).toLocaleString('en')} events/s (target ≥ 50,000) in ${seconds.toFixed(2)} s`);
  row('detector CPU', `${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (${((100 * (cpu.user + cpu.system)) / 1e6 / seconds).toFixed(0)} % of a core)`);
  row('peak RSS', `${(peakRss / 2 ** 20).toFixed(0)} MiB`);
  row('Redis per key (state)', `mean ${Math.round(sum / Math.max(1, keys.length))} B, max ${max} B (target ≤ 4,096)`);
  row('windows closed / alerts', `${detector.metrics.windowsClosed.toLocaleString('en')} / ${alerts}`);
} finally {
  await Promise.all([nats.stop(), redisServer.stop()]);
}
