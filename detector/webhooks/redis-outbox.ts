/**
 * The webhook outbox in Redis, so a detector restart loses nothing. Per target, under one hash tag
 * `<prefix>:{wh:<target>}`: `:due` (sorted set of delivery ids by next-attempt time, ms),
 * `:item:<id>` (hash: alert JSON, created_at, attempts, last_error), `:dead` (sorted set by
 * dead-letter time), `:done:<id>` (delivered marker) and `:stats` (counts). Each step is one Lua
 * script over one target's keys, so two dispatchers never take the same delivery.
 */
import type { Redis } from 'ioredis';
import type { Alert } from '../../contracts/index.js';
import { MAX_DEAD_LETTERS, REMEMBER_MS, type DeadLetter, type Delivery, type Outbox, type OutboxStatus } from './outbox.js';

// KEYS: due, item, done, dead | ARGV: id, now, alert
const ENQUEUE = `
if redis.call('EXISTS', KEYS[2]) == 1 or redis.call('EXISTS', KEYS[3]) == 1 or redis.call('ZSCORE', KEYS[4], ARGV[1]) then return 0 end
redis.call('HSET', KEYS[2], 'alert', ARGV[3], 'created_at', ARGV[2], 'attempts', 0)
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return 1`;
// KEYS: due | ARGV: now, leaseUntil, max
const CLAIM = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], 'XX', ARGV[2], id) end
return ids`;
// KEYS: due, item, done, stats | ARGV: id, now, rememberMs
const DELIVERED = `
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('DEL', KEYS[2])
redis.call('SET', KEYS[3], '1', 'PX', ARGV[3])
redis.call('HINCRBY', KEYS[4], 'delivered', 1)
redis.call('HSET', KEYS[4], 'last_success_at', ARGV[2])
return 1`;
// KEYS: due, item, stats | ARGV: id, nextAt, error, now
const RETRY = `
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HINCRBY', KEYS[2], 'attempts', 1)
redis.call('HSET', KEYS[2], 'last_error', ARGV[3])
redis.call('HINCRBY', KEYS[3], 'failed_attempts', 1)
redis.call('HSET', KEYS[3], 'last_failure_at', ARGV[4], 'last_error', ARGV[3])
return 1`;
// KEYS: due, item, dead, stats | ARGV: id, error, now, rememberMs, maxDead
const DEAD = `
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[2], 'attempts', 1)
redis.call('HSET', KEYS[2], 'last_error', ARGV[2], 'dead_at', ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -1 - tonumber(ARGV[5]))
redis.call('HINCRBY', KEYS[4], 'failed_attempts', 1)
redis.call('HSET', KEYS[4], 'last_failure_at', ARGV[3], 'last_error', ARGV[2])
return 1`;

const num = (s: string | undefined) => (s === undefined || s === '' ? null : Number(s));

export class RedisOutbox implements Outbox {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(target: string, what: string): string {
    return `${this.prefix}:{wh:${target}}:${what}`;
  }

  async enqueue(target: string, id: string, alert: Alert, now: number): Promise<boolean> {
    const k = (w: string) => this.key(target, w);
    return (await this.redis.eval(ENQUEUE, 4, k('due'), k(`item:${id}`), k(`done:${id}`), k('dead'), id, now, JSON.stringify(alert))) === 1;
  }

  async claim(target: string, now: number, leaseUntil: number, max: number): Promise<Delivery[]> {
    const ids = (await this.redis.eval(CLAIM, 1, this.key(target, 'due'), now, leaseUntil, max)) as string[];
    if (ids.length === 0) return [];
    const p = this.redis.pipeline();
    for (const id of ids) p.hgetall(this.key(target, `item:${id}`));
    const res = (await p.exec()) ?? [];
    const out: Delivery[] = [];
    for (const [i, id] of ids.entries()) {
      const h = res[i]?.[1] as Record<string, string> | undefined;
      if (!h?.alert) {
        // Nothing to send (the target was dropped meanwhile): forget the entry.
        await this.redis.zrem(this.key(target, 'due'), id);
        continue;
      }
      out.push({ id, alert: JSON.parse(h.alert) as Alert, created_at: Number(h.created_at), attempts: Number(h.attempts ?? 0) });
    }
    return out;
  }

  async delivered(target: string, id: string, now: number): Promise<void> {
    const k = (w: string) => this.key(target, w);
    await this.redis.eval(DELIVERED, 4, k('due'), k(`item:${id}`), k(`done:${id}`), k('stats'), id, now, REMEMBER_MS);
  }

  async retry(target: string, id: string, nextAt: number, error: string, now: number): Promise<void> {
    const k = (w: string) => this.key(target, w);
    await this.redis.eval(RETRY, 3, k('due'), k(`item:${id}`), k('stats'), id, Math.round(nextAt), error, now);
  }

  async deadLetter(target: string, id: string, error: string, now: number): Promise<void> {
    const k = (w: string) => this.key(target, w);
    await this.redis.eval(DEAD, 4, k('due'), k(`item:${id}`), k('dead'), k('stats'), id, error, now, REMEMBER_MS, MAX_DEAD_LETTERS);
  }

  async release(target: string, id: string, now: number): Promise<void> {
    await this.redis.zadd(this.key(target, 'due'), 'XX', now, id);
  }

  async status(target: string): Promise<OutboxStatus> {
    const res = (await this.redis.pipeline().zcard(this.key(target, 'due')).zcard(this.key(target, 'dead')).hgetall(this.key(target, 'stats')).exec()) ?? [];
    const s = (res[2]?.[1] ?? {}) as Record<string, string>;
    return {
      pending: Number(res[0]?.[1] ?? 0),
      dead: Number(res[1]?.[1] ?? 0),
      delivered: Number(s.delivered ?? 0),
      failed_attempts: Number(s.failed_attempts ?? 0),
      last_success_at: num(s.last_success_at),
      last_failure_at: num(s.last_failure_at),
      last_error: s.last_error ?? null,
    };
  }

  async deadLetters(target: string, limit: number): Promise<DeadLetter[]> {
    const ids = await this.redis.zrevrange(this.key(target, 'dead'), 0, limit - 1);
    if (ids.length === 0) return [];
    const p = this.redis.pipeline();
    for (const id of ids) p.hgetall(this.key(target, `item:${id}`));
    const res = (await p.exec()) ?? [];
    return ids.map((id, i) => {
      const h = (res[i]?.[1] ?? {}) as Record<string, string>;
      return {
        id,
        alert_id: id.slice(0, id.indexOf('-')),
        created_at: Number(h.created_at ?? 0),
        dead_at: Number(h.dead_at ?? 0),
        attempts: Number(h.attempts ?? 0),
        last_error: h.last_error ?? '',
      };
    });
  }

  async drop(target: string): Promise<void> {
    const match = `${this.prefix}:{wh:${target}}:*`;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', match, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await this.redis.del(...keys);
    } while (cursor !== '0');
  }
}
