/**
 * The /readyz checks of the live detector: Redis and NATS answer now. Each rejects with an error
 * whose `code` says why (never a URL or a message that could carry credentials); a connection
 * that is known to be down fails at once instead of waiting in an offline queue.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { Redis } from 'ioredis';
import type { HealthChecks } from './ops-routes.js';

const down = (code: string) => Object.assign(new Error(code), { code });

/** Ready when the connection is up and answers PING. */
export function redisCheck(redis: Pick<Redis, 'status' | 'ping'>): () => Promise<void> {
  return async () => {
    // 'connecting', 'reconnecting', 'end'...: a ping would only wait in the offline queue.
    if (redis.status !== 'ready') throw down(redis.status.toUpperCase());
    const pong = await redis.ping();
    if (pong !== 'PONG') throw down('BAD_PONG');
  };
}

/** Ready when the connection is open and the server answers a PING (flush). */
export function natsCheck(nc: Pick<NatsConnection, 'isClosed' | 'flush'>): () => Promise<void> {
  return async () => {
    if (nc.isClosed()) throw down('CLOSED');
    await nc.flush();
  };
}

export function dependencyChecks(deps: { redis: Pick<Redis, 'status' | 'ping'>; nc: Pick<NatsConnection, 'isClosed' | 'flush'> }): HealthChecks {
  return { nats: natsCheck(deps.nc), redis: redisCheck(deps.redis) };
}
