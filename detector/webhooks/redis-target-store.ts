/** API-added webhook targets in Redis: the hash `<prefix>:webhooks`, name → target JSON. */
import type { Redis } from 'ioredis';
import type { WebhookTargetStore } from './target-store.js';
import type { WebhookTarget } from './target.js';

export class RedisTargetStore implements WebhookTargetStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(): string {
    return `${this.prefix}:webhooks`;
  }

  async list(): Promise<WebhookTarget[]> {
    const all = await this.redis.hgetall(this.key());
    return Object.values(all)
      .map((s) => JSON.parse(s) as WebhookTarget)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  async add(target: WebhookTarget): Promise<boolean> {
    return (await this.redis.hsetnx(this.key(), target.name, JSON.stringify(target))) === 1;
  }

  async remove(name: string): Promise<boolean> {
    return (await this.redis.hdel(this.key(), name)) === 1;
  }
}
