/**
 * Alerts in Redis: `<prefix>:alert:<id>` holds the JSON; sorted sets by event time index all
 * alerts and each key's alerts (`<prefix>:{<key_id>}:alerts`); `<prefix>:{<key_id>}:open:<kind>`
 * names the key's active (open or acknowledged) alert. `update` is a compare-and-set on the JSON
 * (one-key Lua script), so an analyst's ack and the detector raising the same alert never
 * overwrite each other.
 */
import type { Redis } from 'ioredis';
import type { Alert } from '../../contracts/index.js';
import { before, isActive, matches, type AlertCursor, type AlertFilter, type AlertPage, type AlertStore } from './alert-store.js';

const SCAN_PAGE = 200;

/** SET KEYS[1] to ARGV[2] only if it still holds ARGV[1]. */
const COMPARE_AND_SET = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 end return 0`;
/** DEL KEYS[1] only if it still names ARGV[1]. */
const DEL_IF = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export class RedisAlertStore implements AlertStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private alertKey(id: string) {
    return `${this.prefix}:alert:${id}`;
  }

  private indexKey(keyId?: string) {
    return keyId === undefined ? `${this.prefix}:alerts` : `${this.prefix}:{${keyId}}:alerts`;
  }

  private openKey(keyId: string, kind: string) {
    return `${this.prefix}:{${keyId}}:open:${kind}`;
  }

  async put(alert: Alert): Promise<void> {
    const p = this.redis.pipeline();
    p.set(this.alertKey(alert.id), JSON.stringify(alert));
    this.index(p, alert);
    const res = (await p.exec()) ?? [];
    for (const [err] of res) if (err) throw err;
  }

  /** Index entries and the active pointer; idempotent, so a crash after the document is harmless. */
  private index(p: ReturnType<Redis['pipeline']>, alert: Alert): void {
    p.zadd(this.indexKey(), alert.event_time, alert.id);
    p.zadd(this.indexKey(alert.key_id), alert.event_time, alert.id);
    if (isActive(alert)) p.set(this.openKey(alert.key_id, alert.kind), alert.id);
    else p.eval(DEL_IF, 1, this.openKey(alert.key_id, alert.kind), alert.id);
  }

  async update(id: string, mutate: (current: Alert) => Alert | null, beforeWrite?: (next: Alert) => Promise<void>): Promise<Alert | null> {
    for (;;) {
      const text = await this.redis.get(this.alertKey(id));
      if (text === null) return null;
      const next = mutate(JSON.parse(text) as Alert);
      if (next === null) return JSON.parse(text) as Alert;
      await beforeWrite?.(next);
      const swapped = await this.redis.eval(COMPARE_AND_SET, 1, this.alertKey(id), text, JSON.stringify(next));
      // Someone else wrote the alert since it was read: apply the change to their version.
      if (swapped !== 1) continue;
      const q = this.redis.pipeline();
      this.index(q, next);
      for (const [e] of (await q.exec()) ?? []) if (e) throw e;
      return next;
    }
  }

  async get(id: string): Promise<Alert | null> {
    const s = await this.redis.get(this.alertKey(id));
    return s === null ? null : (JSON.parse(s) as Alert);
  }

  async list(filter: AlertFilter, limit: number, after: AlertCursor | null): Promise<AlertPage> {
    const index = this.indexKey(filter.key_id);
    let max: string = after ? String(after.t) : filter.to !== undefined ? String(filter.to) : '+inf';
    if (after && filter.to !== undefined && filter.to < after.t) max = String(filter.to);
    const min = filter.from !== undefined ? String(filter.from) : '-inf';
    const out: Alert[] = [];
    let offset = 0;
    for (;;) {
      const ids = await this.redis.zrevrangebyscore(index, max, min, 'LIMIT', offset, SCAN_PAGE);
      if (ids.length === 0) break;
      offset += ids.length;
      const docs = await this.redis.mget(ids.map((id) => this.alertKey(id)));
      const page: Alert[] = [];
      for (const d of docs) if (d !== null) page.push(JSON.parse(d) as Alert);
      // Within one score Redis orders members descending too, but sort to be sure of the contract.
      page.sort((a, b) => b.event_time - a.event_time || (a.id < b.id ? 1 : -1));
      for (const a of page) {
        if (after && !before(a, after)) continue;
        if (!matches(a, filter)) continue;
        out.push(a);
        if (out.length > limit) break;
      }
      if (out.length > limit || ids.length < SCAN_PAGE) break;
    }
    const alerts = out.slice(0, limit);
    const last = alerts[alerts.length - 1];
    return { alerts, next: out.length > limit && last ? { t: last.event_time, id: last.id } : null };
  }

  async openFor(keyId: string, kind: string): Promise<Alert | null> {
    const id = await this.redis.get(this.openKey(keyId, kind));
    if (id === null) return null;
    const a = await this.get(id);
    return a && isActive(a) ? a : null;
  }
}
