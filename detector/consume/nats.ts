/**
 * Live input: one durable JetStream pull consumer per owned partition on LOWSLOW_EVENTS, started
 * right after the partition's checkpoint. Each message is applied (states and checkpoint stored)
 * before it is acknowledged, so a crash redelivers it and the checkpoint's stream sequence makes
 * the second application a no-op.
 * While a partition is quiet, event time advances with the wall clock so windows still close.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventPartitionFilter, partitionOf, type AccessEvent, type Config } from '../../contracts/index.js';
import type { Detector } from '../pipeline.js';
import { decodeEvents } from './events.js';

export interface ConsumeOptions {
  nc: NatsConnection;
  config: Config;
  detector: Detector;
  partitions: number[];
  log: Logger;
  signal: AbortSignal;
}

/** Runs until the signal aborts. */
export async function consumeEvents(o: ConsumeOptions): Promise<void> {
  const jsm = await jetstreamManager(o.nc);
  const js = jetstream(o.nc);
  const stream = o.config.nats.events_stream;
  await Promise.all(
    o.partitions.map(async (p) => {
      const durable = `${o.config.detector.durable}-p${p}`;
      // The checkpoint in Redis says what was applied. A consumer that stands elsewhere (an earlier
      // process died or stopped with messages in flight, or NATS lost its acks) would hand those
      // messages back only after ack_wait, behind later ones: out of order, so their events would
      // be late. It is made again, to start right after the checkpoint.
      const applied = o.detector.appliedSeq(p);
      const info = await jsm.consumers.info(stream, durable).catch(() => null);
      const stale = info !== null && (info.num_ack_pending > 0 || info.delivered.stream_seq !== applied);
      if (stale) {
        o.log.info({ partition: p, applied, delivered: info.delivered.stream_seq, ack_pending: info.num_ack_pending }, 'consumer made again to start after the checkpoint');
        await jsm.consumers.delete(stream, durable);
      }
      if (info === null || stale) {
        await jsm.consumers.add(stream, {
          durable_name: durable,
          filter_subject: eventPartitionFilter(p),
          ack_policy: AckPolicy.Explicit,
          ...(applied > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: applied + 1 } : { deliver_policy: DeliverPolicy.All }),
          ack_wait: 30 * 1e9,
          max_ack_pending: 1000,
        });
      }
      const consumer = await js.consumers.get(stream, durable);
      await runPartition(o, p, consumer);
    }),
  );
}

/**
 * Applies one message until it succeeds or the detector stops. Messages of a partition are never
 * skipped past: a later checkpoint would make the failed one look applied.
 */
async function applyWithRetry(o: ConsumeOptions, partition: number, events: AccessEvent[], seq: number, working: () => void): Promise<boolean> {
  let delay = 500;
  let failed = false;
  for (;;) {
    try {
      if (failed) await o.detector.resetPartition(partition, (k) => partitionOf(k, o.config.nats.partitions));
      await o.detector.ingest(partition, events, seq);
      return true;
    } catch (err) {
      failed = true;
      o.log.error({ err: String(err), partition, seq, retry_ms: delay }, 'applying events failed (is Redis reachable? redis.url); retrying');
      working();
      await sleep(delay, undefined, { signal: o.signal }).catch(() => undefined);
      if (o.signal.aborted) return false;
      delay = Math.min(delay * 2, 10_000);
    }
  }
}

/**
 * Bytes a detector lets the server have in flight to it, over all its partitions. nats-server
 * cuts a client off as a slow consumer when more than its max_pending (64 MiB by default) waits
 * on the connection, and what was in flight then only comes back after ack_wait.
 */
const IN_FLIGHT_BYTES = 32 * 2 ** 20;
const MIN_PULL_BYTES = 256 * 2 ** 10;

type Consumer = Awaited<ReturnType<ReturnType<typeof jetstream>['consumers']['get']>>;

async function runPartition(o: ConsumeOptions, partition: number, consumer: Consumer): Promise<void> {
  const { detector, log, signal } = o;
  const idleMs = o.config.detector.idle_close_seconds * 1000;
  let lastArrival = Date.now();
  let lastEventTime = 0;
  // One message or one idle advance at a time per partition.
  let chain: Promise<void> = Promise.resolve();
  const idle = setInterval(() => {
    const quiet = Date.now() - lastArrival;
    if (quiet < idleMs || lastEventTime === 0) return;
    chain = chain.then(() => detector.advance(partition, lastEventTime + quiet)).catch((err) => log.error({ err: String(err), partition }, 'idle advance failed'));
  }, Math.min(idleMs, 1000));
  const messages = await consumer.consume({ max_bytes: Math.max(MIN_PULL_BYTES, Math.floor(IN_FLIGHT_BYTES / o.partitions.length)) });
  // The stop may have come while the consumer was being set up.
  if (signal.aborted) void messages.close();
  else signal.addEventListener('abort', () => void messages.close(), { once: true });
  try {
    for await (const m of messages) {
      lastArrival = Date.now();
      const { events, invalid } = decodeEvents(m.string());
      detector.metrics.invalid += invalid;
      const job = chain.then(() => applyWithRetry(o, partition, events, m.seq, () => m.working()));
      chain = job.then(() => undefined, () => undefined);
      if (await job) {
        lastEventTime = detector.watermark(partition);
        m.ack();
      }
    }
  } finally {
    clearInterval(idle);
    await chain;
  }
}
