/**
 * Calibration labels and audit in Redis. A key's labels: hash `<prefix>:{<key_id>}:calibration`
 * (alert id → label JSON) and its audit list `<prefix>:{<key_id>}:calibration:audit`, in the key's
 * slot; a kind's labels: hash `<prefix>:calibration:kind:<kind>`; every change: the list
 * `<prefix>:calibration:audit` and the sorted set `<prefix>:calibration:keys` (key_id by time of its
 * last change). Offsets are never stored, only the labels they are summed from, so two verdicts
 * given at once on two detectors cannot overwrite each other's change.
 */
import type { Redis } from 'ioredis';
import { AUDIT_ENTRIES, KEY_AUDIT_ENTRIES, KEY_LABELS, KIND_LABELS, type CalibrationAudit, type CalibrationLabel, type CalibrationStore } from './calibration-store.js';

/** Keys remembered in the index of changed keys. */
const INDEXED_KEYS = 10_000;

export class RedisCalibrationStore implements CalibrationStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private keyHash(keyId: string) {
    return `${this.prefix}:{${keyId}}:calibration`;
  }

  private kindHash(kind: string) {
    return `${this.prefix}:calibration:kind:${kind}`;
  }

  private keyAudit(keyId: string) {
    return `${this.prefix}:{${keyId}}:calibration:audit`;
  }

  private get allAudit() {
    return `${this.prefix}:calibration:audit`;
  }

  private get index() {
    return `${this.prefix}:calibration:keys`;
  }

  private async labels(hash: string): Promise<CalibrationLabel[]> {
    return Object.values(await this.redis.hgetall(hash)).map((v) => JSON.parse(v) as CalibrationLabel);
  }

  keyLabels(keyId: string): Promise<CalibrationLabel[]> {
    return this.labels(this.keyHash(keyId));
  }

  kindLabels(kind: string): Promise<CalibrationLabel[]> {
    return this.labels(this.kindHash(kind));
  }

  async putLabel(label: CalibrationLabel): Promise<void> {
    const json = JSON.stringify(label);
    const [keyLen, kindLen] = await Promise.all([
      this.redis.hset(this.keyHash(label.key_id), label.alert_id, json).then(() => this.redis.hlen(this.keyHash(label.key_id))),
      this.redis.hset(this.kindHash(label.kind), label.alert_id, json).then(() => this.redis.hlen(this.kindHash(label.kind))),
    ]);
    if (keyLen > KEY_LABELS) await this.trim(this.keyHash(label.key_id), KEY_LABELS);
    if (kindLen > KIND_LABELS) await this.trim(this.kindHash(label.kind), KIND_LABELS);
  }

  /** Drops the oldest labels beyond `max`. */
  private async trim(hash: string, max: number): Promise<void> {
    const old = (await this.labels(hash)).sort((a, b) => b.at - a.at).slice(max);
    if (old.length > 0) await this.redis.hdel(hash, ...old.map((l) => l.alert_id));
  }

  async removeLabel(keyId: string, kind: string, alertId: string): Promise<CalibrationLabel | null> {
    const text = await this.redis.hget(this.keyHash(keyId), alertId);
    await Promise.all([this.redis.hdel(this.keyHash(keyId), alertId), this.redis.hdel(this.kindHash(kind), alertId)]);
    if (text === null) return null;
    const l = JSON.parse(text) as CalibrationLabel;
    return l.kind === kind ? l : null;
  }

  async appendAudit(entry: CalibrationAudit): Promise<void> {
    const json = JSON.stringify(entry);
    // One transaction per Redis key (and so per Cluster slot).
    const own = this.redis.multi().lpush(this.keyAudit(entry.key_id), json).ltrim(this.keyAudit(entry.key_id), 0, KEY_AUDIT_ENTRIES - 1).exec();
    const all = this.redis.multi().lpush(this.allAudit, json).ltrim(this.allAudit, 0, AUDIT_ENTRIES - 1).exec();
    const index = this.redis.multi().zadd(this.index, entry.at, entry.key_id).zremrangebyrank(this.index, 0, -INDEXED_KEYS - 1).exec();
    for (const res of await Promise.all([own, all, index])) for (const [err] of res ?? []) if (err) throw err;
  }

  async audit(keyId: string | null, limit: number): Promise<CalibrationAudit[]> {
    const list = keyId === null ? this.allAudit : this.keyAudit(keyId);
    return (await this.redis.lrange(list, 0, limit - 1)).map((s) => JSON.parse(s) as CalibrationAudit);
  }

  async keys(limit: number): Promise<string[]> {
    return this.redis.zrevrange(this.index, 0, limit - 1);
  }
}
