/**
 * Redis profile store. One string per key at `<prefix>:{<key_id>}:state`: the hash tag keeps
 * everything of a key in one Redis Cluster slot. Per partition: a checkpoint hash and a set of keys
 * with an open window, its population baselines, the training rows of its Isolation Forest and
 * the current model (`<prefix>:{p<N>}:…`). Writes go in one pipeline per batch.
 */
import type { Redis } from 'ioredis';
import type { KeyState } from './key-state.js';
import type { PartitionCheckpoint, PartitionExtras, PartitionState, ProfileStore } from './store.js';

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

  async save(partition: number, states: KeyState[], checkpoint: PartitionCheckpoint | null, extras?: PartitionExtras): Promise<void> {
    const p = this.redis.pipeline();
    if (extras?.population !== undefined) p.set(this.partitionKey(partition, 'population'), extras.population);
    if (extras?.model !== undefined) p.set(this.partitionKey(partition, 'model'), extras.model);
    if (extras?.rows && extras.rows.length > 0) {
      const rowsKey = this.partitionKey(partition, 'rows');
      p.rpush(rowsKey, ...extras.rows);
      if (extras.maxRows !== undefined) p.ltrim(rowsKey, -extras.maxRows, -1);
    }
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

  /** Deletes a key's state (`lowslow rekey` after moving it to its new key_id). */
  async remove(partition: number, keyId: string): Promise<void> {
    await this.redis.pipeline().del(this.stateKey(keyId)).srem(this.partitionKey(partition, 'open'), keyId).exec();
  }

  async checkpoint(partition: number): Promise<PartitionCheckpoint | null> {
    const h = await this.redis.hgetall(this.partitionKey(partition, 'checkpoint'));
    if (!h.seq) return null;
    return { partition, seq: Number(h.seq), watermark: Number(h.watermark ?? 0) };
  }

  async openKeys(partition: number): Promise<string[]> {
    return this.redis.smembers(this.partitionKey(partition, 'open'));
  }

  async loadPartition(partition: number): Promise<PartitionState> {
    const [population, model, rows] = await Promise.all([
      this.redis.get(this.partitionKey(partition, 'population')),
      this.redis.get(this.partitionKey(partition, 'model')),
      this.redis.lrange(this.partitionKey(partition, 'rows'), 0, -1),
    ]);
    return { population, model, rows };
  }

  async sizeOf(keyId: string): Promise<number> {
    return (await this.redis.call('MEMORY', 'USAGE', this.stateKey(keyId))) as number;
  }
}
