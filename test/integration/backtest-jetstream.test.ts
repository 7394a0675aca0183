/**
 * lowslow backtest over JetStream history (real nats-server): the same events published in agent
 * batches give the same report as the log files they came from, the detectors' durable consumer
 * is left exactly where it was, and the command prints the report with known verdicts counted.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventPartitionFilter, eventSubject, partitionOf, type AccessEvent, type Alert } from '../../contracts/index.js';
import { backtest } from '../../bin/backtest.js';
import { loadCandidate } from '../../bin/backtest-candidate.js';
import type { BacktestReport } from '../../bin/backtest-report.js';
import { jetStreamSource, logSource } from '../../bin/backtest-sources.js';
import { ensureStreams } from '../../bin/connect.js';
import { forEachLine, lineReader } from '../../bin/replay.js';
import { Redis } from 'ioredis';
import { RedisAlertStore } from '../../detector/alerts/redis-alert-store.js';
import { RedisProfileStore } from '../../detector/profiles/redis-store.js';
import { MODEL_COLUMNS } from '../../detector/score/feature-row.js';
import { PopulationModel } from '../../detector/score/population-model.js';
import { runCli } from '../support/cli.js';
import { startRedisServer } from '../support/redis-server.js';
import { testConfig } from '../support/detector-harness.js';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';
import { SAMPLE_LOG } from '../support/sample-events.js';

const SECRET = 'backtest-jetstream-secret-0123456789';
const LOG = fileURLToPath(SAMPLE_LOG);
const FROM = Date.UTC(2026, 10, 3);
const TO = Date.UTC(2026, 10, 8);
const DURABLE = 'lowslow-detector-p0';
const log = pino({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'lowslow-backtest-js-'));
const candidateFile = join(dir, 'low.yaml');
writeFileSync(candidateFile, 'detection:\n  threshold: 0.35\n');

describe('backtest over JetStream', () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  let published = 0;
  const config = testConfig({ key_secret: SECRET });

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
    config.nats.servers = [nats.url];
    await ensureStreams(nc, config.nats, ['events']);
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.add(config.nats.events_stream, { durable_name: DURABLE, filter_subject: eventPartitionFilter(0), ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All });
    // The agent's way: per-partition batches of newline-delimited events, published as they fill.
    const js = jetstream(nc);
    const read = lineReader(config);
    const open = new Map<number, AccessEvent[]>();
    const publish = async (p: number, batch: AccessEvent[]) => {
      open.delete(p);
      await js.publish(eventSubject(p, 'nginx', 'gw1'), batch.map((e) => JSON.stringify(e)).join('\n'), { msgID: `${p}-${published}` });
      published++;
    };
    await forEachLine(LOG, async (line) => {
      const e = read(line);
      if (typeof e === 'string') return;
      const p = partitionOf(e.key_id, config.nats.partitions);
      let b = open.get(p);
      if (!b) open.set(p, (b = []));
      b.push(e);
      if (b.length >= 150) await publish(p, b);
    });
    for (const [p, b] of [...open]) await publish(p, b);
  }, 120_000);

  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
  });

  const run = (source: 'jetstream' | 'logs') =>
    backtest({
      current: config,
      candidate: loadCandidate(candidateFile, config),
      source: source === 'jetstream' ? jetStreamSource(nc, config) : logSource([LOG], config),
      from: FROM,
      to: TO,
      warmupMs: 24 * 3_600_000,
      labels: [],
      labelSource: 'none',
      log,
    });

  it('gives the report the log files give, and leaves the durable consumers alone', async () => {
    const jsm = await jetstreamManager(nc);
    const before = await jsm.consumers.info(config.nats.events_stream, DURABLE);
    const fromStream = await run('jetstream');
    const fromLogs = await run('logs');
    expect(fromStream.source).toMatchObject({ kind: 'jetstream', stream: 'LOWSLOW_EVENTS', messages: published, invalid: 0, first_seq: 1, last_seq: published });
    const without = (r: BacktestReport) => ({ ...r, source: null });
    expect(without(fromStream)).toEqual(without(fromLogs));
    expect(fromStream.current.alerts).toBeGreaterThan(0);
    expect(fromStream.candidate.alerts).toBeGreaterThan(fromStream.current.alerts);

    const after = await jsm.consumers.info(config.nats.events_stream, DURABLE);
    expect(after.delivered).toEqual(before.delivered);
    expect(after.ack_floor).toEqual(before.ack_floor);
    expect(after.num_pending).toBe(before.num_pending);
    const names: string[] = [];
    for await (const c of jsm.consumers.list(config.nats.events_stream)) names.push(c.name);
    expect(names).toEqual([DURABLE]);
  }, 180_000);

  it('reads nothing published before the start, and names a stream that does not exist', async () => {
    // Everything was published now: a start a day ahead of the wall clock finds no message.
    const source = jetStreamSource(nc, config);
    let seen = 0;
    await source.forEach(() => void seen++, Date.now() + 86_400_000);
    expect(seen).toBe(0);
    expect(source.info()).toMatchObject({ messages: 0 });
    const missing = testConfig({ key_secret: SECRET, nats: { servers: [nats.url], events_stream: 'NO_SUCH_STREAM' } });
    await expect(jetStreamSource(nc, missing).forEach(() => undefined, null)).rejects.toMatchObject({ code: 'LOWSLOW_BACKTEST_SOURCE', message: expect.stringContaining('NO_SUCH_STREAM') });
  }, 60_000);

  it('lowslow backtest prints the JSON report, counting the verdicts of a labels file', async () => {
    const ref = await run('jetstream');
    expect(ref.only_current).toEqual([]);
    // An alert only the candidate raises is known to be a false positive.
    const only = ref.only_candidate[0];
    expect(only).toBeDefined();
    const fp = { ...(only as NonNullable<typeof only>) };
    const asAlert = (a: typeof fp, verdict: 'true_positive' | 'false_positive'): Alert => ({
      v: 1,
      id: a.id,
      created_at: 1,
      updated_at: 1,
      event_time: a.window.end,
      key_id: a.key_id,
      kind: a.kind,
      severity: a.severity,
      score: a.score,
      threshold: a.threshold,
      model_version: 'rules-1',
      window: a.window,
      reasons: [],
      evidence: { requests: 1, distinct_objects: 0, routes: [], networks: [], sample_event_ids: [] },
      source: { gateway: 'nginx', hosts: ['gw1'] },
      status: verdict === 'false_positive' ? 'false_positive' : 'acknowledged',
      feedback: { verdict, note: '', at: 1 },
    });
    const labels = join(dir, 'labels.jsonl');
    writeFileSync(labels, `${JSON.stringify(asAlert(fp, 'false_positive'))}\n`);

    const cli = runCli(['backtest', '--model', candidateFile, '--from', new Date(FROM).toISOString(), '--to', String(TO), '--labels', labels, '--json'], {
      LOWSLOW_NATS_SERVERS: nats.url,
      LOWSLOW_KEY_SECRET: SECRET,
      LOWSLOW_LOG_LEVEL: 'warn',
    });
    const code = await cli.exited;
    expect(code, cli.stderr()).toBe(0);
    const report = JSON.parse(cli.stdout()) as BacktestReport;
    expect(report.labels).toEqual({ source: labels, true_positives: 0, false_positives: 1 });
    expect(report.current.known_false_positives_raised).toBe(0);
    expect(report.candidate.known_false_positives_raised).toBe(1);
    expect(report.only_candidate.find((a) => a.id === fp.id)?.verdict).toBe('false_positive');
    expect({ ...report, labels: null, only_candidate: null, current: null, candidate: null }).toEqual({ ...ref, labels: null, only_candidate: null, current: null, candidate: null });
    expect(cli.stderr()).not.toContain(SECRET);

    // The live detector's stores: a model per partition and the same verdict, in Redis.
    await using redisServer = await startRedisServer();
    const redis = new Redis(redisServer.url);
    try {
      const model = new PopulationModel({ minRows: 50, maxRows: 1000, retrainMs: 3_600_000, quantile: 0.99, seed: 1 });
      for (let i = 0; i < 300; i++) model.observe(Float64Array.from({ length: MODEL_COLUMNS.length }, (_, c) => ((i * 31 + c * 17) % 23) / 23));
      const snapshot = JSON.stringify(model.train(Date.now()));
      const profiles = new RedisProfileStore(redis, 'live');
      for (let p = 0; p < config.nats.partitions; p++) await profiles.save(p, [], null, { model: snapshot });
      await new RedisAlertStore(redis, 'live').put(asAlert(fp, 'false_positive'));
      const live = runCli(['backtest', '--model', candidateFile, '--from', String(FROM), '--to', String(TO), '--stored-models', '--json'], {
        LOWSLOW_NATS_SERVERS: nats.url,
        LOWSLOW_REDIS_URL: redisServer.url,
        LOWSLOW_REDIS_PREFIX: 'live',
        LOWSLOW_KEY_SECRET: SECRET,
        LOWSLOW_LOG_LEVEL: 'warn',
      });
      expect(await live.exited, live.stderr()).toBe(0);
      const withStored = JSON.parse(live.stdout()) as BacktestReport;
      expect(withStored.current.model).toBe(`stored models of ${config.nats.partitions} partition(s), kept`);
      expect(withStored.candidate.model).toBe(withStored.current.model);
      expect(withStored.labels).toEqual({ source: 'redis', true_positives: 0, false_positives: 1 });
      expect(withStored.events).toEqual(ref.events);
    } finally {
      redis.disconnect();
    }

    const bad = runCli(['backtest', '--model', join(dir, 'missing.yaml')], { LOWSLOW_NATS_SERVERS: nats.url });
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toContain('missing.yaml: cannot read (ENOENT)');
  }, 180_000);
});
