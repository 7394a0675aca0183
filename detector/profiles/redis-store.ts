/**
 * Redis profile store. One string per key at `<prefix>:{<key_id>}:state`: the hash tag keeps
 * everything of a key in one Redis Cluster slot. Per partition: a checkpoint hash and a set of keys
 * with an open window. Writes go in one pipeline per batch.
 */
import type { Redis } from 'ioredis';
import type { KeyState } from './key-state.js';
import type { PartitionCheckpoint, ProfileStore } from './store.js';

export class RedisProfileStore implements ProfileStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  stateKey(keyId: string): string {
    return `${this.prefix}:{${keyId}}:state`;
  }

  private partitionKey(partition: number, what: string): string {
    return `${this.prefix}:{p${partition}}:${what}`;
  }

  async load(keyIds: string[]): Promise<Map<string, KeyState>> {
    const out = new Map<string, KeyState>();
    if (keyIds.length === 0) return out;
    const p = this.redis.pipeline();
    for (const id of keyIds) p.get(this.stateKey(id));
    const res = (await p.exec()) ?? [];
    res.forEach(([err, val], i) => {
      if (err) throw err;
      if (typeof val === 'string') out.set(keyIds[i] as string, JSON.parse(val) as KeyState);
    });
    return out;
  }

  async save(partition: number, states: KeyState[], checkpoint: PartitionCheckpoint | null): Promise<void> {
    const p = this.redis.pipeline();
    const openKey = this.partitionKey(partition, 'open');
    for (const s of states) {
      p.set(this.stateKey(s.key_id), JSON.stringify(s));
      if (s.window) p.sadd(openKey, s.key_id);
      else p.srem(openKey, s.key_id);
    }
    if (checkpoint) {
      p.hset(this.partitionKey(checkpoint.partition, 'checkpoint'), 'seq', checkpoint.seq, 'watermark', checkpoint.watermark);
    }
    const res = (await p.exec()) ?? [];
    for (const [err] of res) if (err) throw err;
  }

  async checkpoint(partition: number): Promise<PartitionCheckpoint | null> {
    const h = await this.redis.hgetall(this.partitionKey(partition, 'checkpoint'));
    if (!h.seq) return null;
    return { partition, seq: Number(h.seq), watermark: Number(h.watermark ?? 0) };
  }

  async openKeys(partition: number): Promise<string[]> {
    return this.redis.smembers(this.partitionKey(partition, 'open'));
  }

  async loadPopulation(): Promise<string | null> {
    return this.redis.get(`${this.prefix}:population`);
  }

  async savePopulation(json: string): Promise<void> {
    await this.redis.set(`${this.prefix}:population`, json);
  }

  async sizeOf(keyId: string): Promise<number> {
    return (await this.redis.call('MEMORY', 'USAGE', this.stateKey(keyId))) as number;
  }
}
