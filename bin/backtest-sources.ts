/**
 * Where a backtest reads events: log files, through the same parser and sanitizer as replay, or
 * the retained JetStream history of LOWSLOW_EVENTS through an ordered consumer, an ephemeral one
 * the server forgets when the backtest ends; the detectors' durable consumers are never touched.
 * JetStream is read from the first message published at or after `notBefore` (less the allowed
 * lateness, for gateway clocks) up to the last message the stream held when the backtest began.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { EVENTS_SUBJECTS, type AccessEvent, type Config } from '../contracts/index.js';
import { decodeEvents } from '../detector/consume/events.js';
import { BacktestError } from './errors.js';
import { forEachLine, lineReader } from './replay.js';

export type SourceInfo =
  | { kind: 'logs'; files: string[]; lines: number; rejected: Record<string, number> }
  | { kind: 'jetstream'; stream: string; messages: number; invalid: number; first_seq: number; last_seq: number };

export interface EventSource {
  info(): SourceInfo;
  /** Hands every event to `onEvent` in order, awaiting it (backpressure). */
  forEach(onEvent: (e: AccessEvent) => Promise<void> | void, notBefore: number | null): Promise<void>;
}

export function logSource(files: string[], config: Config): EventSource {
  const info = { kind: 'logs' as const, files, lines: 0, rejected: {} as Record<string, number> };
  return {
    info: () => structuredClone(info),
    async forEach(onEvent) {
      const read = lineReader(config);
      for (const file of files) {
        await forEachLine(file, async (line) => {
          info.lines++;
          const e = read(line);
          if (typeof e === 'string') info.rejected[e] = (info.rejected[e] ?? 0) + 1;
          else await onEvent(e);
        });
      }
    },
  };
}

/** Messages fetched per pull: a message holds up to nats.batch_max_bytes, so this bounds memory. */
const PULL = 64;

export function jetStreamSource(nc: NatsConnection, config: Config): EventSource {
  const stream = config.nats.events_stream;
  const info = { kind: 'jetstream' as const, stream, messages: 0, invalid: 0, first_seq: 0, last_seq: 0 };
  return {
    info: () => ({ ...info }),
    async forEach(onEvent, notBefore) {
      const jsm = await jetstreamManager(nc);
      const state = await jsm.streams.info(stream).then(
        (s) => s.state,
        (err: unknown) => {
          throw new BacktestError('LOWSLOW_BACKTEST_SOURCE', `stream ${stream} not found on ${config.nats.servers.join(',')} (nats.events_stream), or JetStream unavailable`, { cause: err });
        },
      );
      if (state.messages === 0) return;
      const last = state.last_seq;
      const start = notBefore === null ? null : notBefore - config.detection.lateness_seconds * 1000;
      const consumer = await jetstream(nc).consumers.get(stream, {
        filter_subjects: EVENTS_SUBJECTS,
        ...(start === null ? { deliver_policy: DeliverPolicy.All } : { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(Math.max(0, start)).toISOString() }),
      });
      try {
        for (let done = false; !done; ) {
          let got = 0;
          for await (const m of await consumer.fetch({ max_messages: PULL, expires: 3_000 })) {
            got++;
            if (m.seq > last) {
              done = true;
              break;
            }
            info.messages++;
            if (info.first_seq === 0) info.first_seq = m.seq;
            info.last_seq = m.seq;
            const { events, invalid } = decodeEvents(m.string());
            info.invalid += invalid;
            for (const e of events) await onEvent(e);
            if (m.seq >= last || m.info.pending === 0) {
              done = true;
              break;
            }
          }
          // Nothing more came within the pull's expiry: every message left was published before the start.
          if (got === 0) done = true;
        }
      } finally {
        await consumer.delete().catch(() => undefined);
      }
    },
  };
}
