/** The Redis connection owned by the detector entry point; retries like the NATS one. */
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../contracts/index.js';
import { describe, MAX_DELAY_MS } from './connect.js';

export async function connectRedis(cfg: Config['redis'], log: Logger, signal: AbortSignal): Promise<Redis> {
  let delay = 1_000;
  for (;;) {
    const redis = new Redis(cfg.url, { lazyConnect: true, maxRetriesPerRequest: 3, enableOfflineQueue: true, connectTimeout: 2_000, retryStrategy: () => null });
    // ioredis rejects connect() with "Connection is closed."; the cause arrives as an error event.
    let cause: unknown = null;
    redis.on('error', (err: unknown) => {
      cause = err;
    });
    try {
      await redis.connect();
      await redis.ping();
      redis.options.retryStrategy = (times: number) => Math.min(times * 200, 5_000);
      redis.removeAllListeners('error');
      redis.on('error', (err: Error) => log.warn({ err: describe(err) }, 'Redis connection error'));
      log.info({ url: safeUrl(cfg.url) }, 'connected to Redis');
      return redis;
    } catch (caught) {
      redis.disconnect();
      if (signal.aborted) throw caught;
      const err = cause ?? caught;
      log.error(
        { url: safeUrl(cfg.url), err: describe(err), retry_s: delay / 1000 },
        `cannot reach Redis at ${safeUrl(cfg.url)} (${describe(err)}); retrying in ${delay / 1000}s; check redis.url / LOWSLOW_REDIS_URL`,
      );
      await sleep(delay, undefined, { signal }).catch(() => undefined);
      if (signal.aborted) throw new Error('stopped while waiting for Redis');
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  }
}

/** A Redis URL without its password. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable redis.url)';
  }
}
