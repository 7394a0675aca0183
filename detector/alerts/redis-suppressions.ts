/**
 * Suppressions in Redis: `<prefix>:{<key_id>}:suppress:<kind>` exists while a key and kind are
 * suppressed; Redis expires it, so nothing has to sweep.
 */
import type { Redis } from 'ioredis';
import type { Suppressions } from './suppressions.js';

export class RedisSuppressions implements Suppressions {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(keyId: string, kind: string): string {
    return `${this.prefix}:{${keyId}}:suppress:${kind}`;
  }

  async suppress(keyId: string, kind: string, ms: number): Promise<void> {
    if (ms <= 0) return;
    await this.redis.set(this.key(keyId, kind), '1', 'PX', Math.ceil(ms));
  }

  async lift(keyId: string, kind: string): Promise<void> {
    await this.redis.del(this.key(keyId, kind));
  }

  async isSuppressed(keyId: string, kind: string): Promise<boolean> {
    return (await this.redis.exists(this.key(keyId, kind))) === 1;
  }
}
