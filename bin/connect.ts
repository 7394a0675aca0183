/**
 * The NATS connection owned by the entry point, with JetStream streams ensured. It retries with
 * backoff and says clearly, once per attempt, what is unreachable and which option names it;
 * it never turns into a crash loop. (Redis: connect-redis.ts.)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, RetentionPolicy, StorageType, DiscardPolicy } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import type { Config } from '../contracts/index.js';
import { ALERTS_SUBJECTS, EVENTS_SUBJECTS } from '../contracts/core.js';

export const MAX_DELAY_MS = 30_000;

export function describe(err: unknown): string {
  if (err instanceof Error) return (err as NodeJS.ErrnoException).code ?? err.message;
  return String(err);
}

export async function connectNats(cfg: Config['nats'], log: Logger, signal: AbortSignal, name: string): Promise<NatsConnection> {
  let delay = cfg.retry_seconds * 1000;
  for (;;) {
    try {
      const nc = await connect({
        servers: cfg.servers,
        name,
        ...(cfg.user !== undefined ? { user: cfg.user } : {}),
        ...(cfg.pass !== undefined ? { pass: cfg.pass } : {}),
        ...(cfg.token !== undefined ? { token: cfg.token } : {}),
        timeout: 2_000,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 1_000,
      });
      log.info({ server: nc.getServer() }, 'connected to NATS');
      void watchNats(nc, log);
      return nc;
    } catch (err) {
      if (signal.aborted) throw err;
      log.error(
        { servers: cfg.servers, err: describe(err), retry_s: delay / 1000 },
        `cannot reach NATS at ${cfg.servers.join(',')} (${describe(err)}); retrying in ${delay / 1000}s; check nats.servers / LOWSLOW_NATS_SERVERS`,
      );
      await sleep(delay, undefined, { signal }).catch(() => undefined);
      if (signal.aborted) throw new Error('stopped while waiting for NATS');
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  }
}

async function watchNats(nc: NatsConnection, log: Logger): Promise<void> {
  for await (const s of nc.status()) {
    if (s.type === 'disconnect') log.warn({ server: s.server }, 'NATS disconnected; reconnecting');
    else if (s.type === 'reconnect') log.info({ server: s.server }, 'NATS reconnected');
  }
}

/** Creates the streams when missing; an existing stream is left as the operator configured it. */
export async function ensureStreams(nc: NatsConnection, cfg: Config['nats'], which: Array<'events' | 'alerts'>): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const defs = {
    events: { name: cfg.events_stream, subjects: [EVENTS_SUBJECTS], max_age: cfg.events_max_age_hours * 3600 * 1e9 },
    alerts: { name: cfg.alerts_stream, subjects: [ALERTS_SUBJECTS], max_age: 90 * 24 * 3600 * 1e9 },
  };
  for (const w of which) {
    const d = defs[w];
    try {
      await jsm.streams.info(d.name);
    } catch {
      await jsm.streams.add({
        name: d.name,
        subjects: d.subjects,
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        discard: DiscardPolicy.Old,
        max_age: d.max_age,
        // Retried publishes carry the same Nats-Msg-Id; this is how long JetStream remembers it.
        duplicate_window: 5 * 60 * 1e9,
      });
    }
  }
}
