/**
 * Per-key risk in Redis: the sorted set `<prefix>:risk` holds each key's latest window score,
 * `<prefix>:{<key_id>}:scores` its recent `<window_end>:<score>` (newest first, capped). Records are
 * buffered and written in one pipeline per turn of the event loop, off the detection path.
 */
import type { Redis } from 'ioredis';
import { RECENT_SCORES, ranksBefore, type KeyRisk, type KeyRiskStore, type RiskCursor, type RiskPage, type ScorePoint } from './key-risk-store.js';

const SCAN_PAGE = 500;

export class RedisKeyRiskStore implements KeyRiskStore {
  private buffer: Array<[string, number, number]> = [];
  private flushing: Promise<void> | null = null;
  /** Records that could not be written. */
  writeErrors = 0;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  private rankKey(): string {
    return `${this.prefix}:risk`;
  }

  private scoresKey(keyId: string): string {
    return `${this.prefix}:{${keyId}}:scores`;
  }

  record(keyId: string, windowEnd: number, score: number): void {
    this.buffer.push([keyId, windowEnd, score]);
    if (this.buffer.length === 1) setImmediate(() => void this.flush());
  }

  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    const p = this.redis.pipeline();
    for (const [keyId, end, score] of batch) {
      p.zadd(this.rankKey(), score, keyId);
      p.lpush(this.scoresKey(keyId), `${end}:${score}`);
      p.ltrim(this.scoresKey(keyId), 0, RECENT_SCORES - 1);
    }
    this.flushing = p.exec().then(
      (res) => {
        if ((res ?? []).some(([err]) => err)) {
          this.writeErrors += batch.length;
          this.onError(new Error('some key risk writes failed'));
        }
      },
      (err: unknown) => {
        this.writeErrors += batch.length;
        this.onError(err);
      },
    );
    await this.flushing;
    this.flushing = null;
  }

  async top(limit: number, after: RiskCursor | null): Promise<RiskPage> {
    const n = limit + 1;
    let flat: string[];
    if (after === null) {
      flat = await this.redis.zrevrange(this.rankKey(), 0, n - 1, 'WITHSCORES');
    } else {
      const [[, rank] = [], [, score] = []] = (await this.redis.pipeline().zrevrank(this.rankKey(), after.key_id).zscore(this.rankKey(), after.key_id).exec()) ?? [];
      if (typeof rank === 'number' && Number(score) === after.score) flat = await this.redis.zrevrange(this.rankKey(), rank + 1, rank + n, 'WITHSCORES');
      else flat = await this.scanAfter(after, n);
    }
    const out: KeyRisk[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) out.push({ key_id: flat[i] as string, score: Number(flat[i + 1]), window_end: 0 });
    const keys = out.slice(0, limit);
    if (keys.length > 0) {
      const p = this.redis.pipeline();
      for (const k of keys) p.lindex(this.scoresKey(k.key_id), 0);
      const res = (await p.exec()) ?? [];
      keys.forEach((k, i) => {
        const v = res[i]?.[1];
        if (typeof v === 'string') k.window_end = Number(v.slice(0, v.indexOf(':')));
      });
    }
    const last = keys[keys.length - 1];
    return { keys, next: out.length > limit && last ? { score: last.score, key_id: last.key_id } : null };
  }

  /** The cursor's key has moved since the page was served: walk the ties of its old score. */
  private async scanAfter(after: RiskCursor, n: number): Promise<string[]> {
    const out: string[] = [];
    for (let offset = 0; out.length < n * 2; offset += SCAN_PAGE) {
      const flat = await this.redis.zrevrangebyscore(this.rankKey(), String(after.score), '-inf', 'WITHSCORES', 'LIMIT', offset, SCAN_PAGE);
      for (let i = 0; i + 1 < flat.length && out.length < n * 2; i += 2) {
        if (ranksBefore(after, { key_id: flat[i] as string, score: Number(flat[i + 1]) })) out.push(flat[i] as string, flat[i + 1] as string);
      }
      if (flat.length < SCAN_PAGE * 2) break;
    }
    return out;
  }

  async recent(keyId: string): Promise<ScorePoint[]> {
    const list = await this.redis.lrange(this.scoresKey(keyId), 0, RECENT_SCORES - 1);
    return list.map((s) => {
      const i = s.indexOf(':');
      return { window_end: Number(s.slice(0, i)), score: Number(s.slice(i + 1)) };
    });
  }
}
