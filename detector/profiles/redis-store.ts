/**
 * Redis profile store. One string per key at `<prefix>:{<key_id>}:state` (deflated JSON): the
 * hash tag keeps everything of a key in one Redis Cluster slot. Per partition: a checkpoint hash and a set of keys
 * with an open window, its population baselines, the training rows of its Isolation Forest and
 * the current model (`<prefix>:{p<N>}:…`). The campaign stage's state, shared by the partitions one
 * detector owns, is deflated at `<prefix>:shared:<name>`. Writes go in one pipeline per batch.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Redis } from 'ioredis';
import type { KeyState } from './key-state.js';
import type { PartitionCheckpoint, PartitionExtras, PartitionState, ProfileStore } from './store.js';

/**
 * A stored state is its JSON; a large one is raw-deflated behind a one-byte format tag, which
 * keeps a busy key well inside its 4 KB of Redis. Only large states pay for compression, since
 * every batch rewrites the states it touched. A value that starts with '{' is plain JSON.
 */
const DEFLATED = 0x01;
/** JSON longer than this is stored deflated (Redis adds ~100 bytes and rounds allocations up). */
const DEFLATE_ABOVE = 2_800;

export function encodeState(s: KeyState): Buffer {
  const json = JSON.stringify(s);
  if (json.length <= DEFLATE_ABOVE) return Buffer.from(json, 'utf8');
  const body = deflateRawSync(json, { level: 1 });
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = DEFLATED;
  body.copy(out, 1);
  return out;
}

export function decodeState(b: Buffer): KeyState {
  const text = b[0] === DEFLATED ? inflateRawSync(b.subarray(1)).toString('utf8') : b.toString('utf8');
  return JSON.parse(text) as KeyState;
}

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
    for (const id of keyIds) p.getBuffer(this.stateKey(id));
    const res = (await p.exec()) ?? [];
    res.forEach(([err, val], i) => {
      if (err) throw err;
      if (Buffer.isBuffer(val)) out.set(keyIds[i] as string, decodeState(val));
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
      p.set(this.stateKey(s.key_id), encodeState(s));
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

  async loadShared(name: string): Promise<string | null> {
    const b = await this.redis.getBuffer(`${this.prefix}:shared:${name}`);
    return b === null ? null : inflateRawSync(b).toString('utf8');
  }

  async saveShared(name: string, value: string): Promise<void> {
    await this.redis.set(`${this.prefix}:shared:${name}`, deflateRawSync(value, { level: 1 }));
  }

  async sizeOf(keyId: string): Promise<number> {
    return (await this.redis.call('MEMORY', 'USAGE', this.stateKey(keyId))) as number;
  }
}
