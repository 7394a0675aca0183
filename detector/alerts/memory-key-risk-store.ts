/** Per-key risk in process memory, for tests and replay. */
import { RECENT_SCORES, ranksBefore, type KeyRisk, type KeyRiskStore, type RiskCursor, type RiskPage, type ScorePoint } from './key-risk-store.js';

export class MemoryKeyRiskStore implements KeyRiskStore {
  private readonly latest = new Map<string, KeyRisk>();
  private readonly scores = new Map<string, ScorePoint[]>();

  record(keyId: string, windowEnd: number, score: number): void {
    this.latest.set(keyId, { key_id: keyId, score, window_end: windowEnd });
    let list = this.scores.get(keyId);
    if (!list) this.scores.set(keyId, (list = []));
    list.unshift({ window_end: windowEnd, score });
    if (list.length > RECENT_SCORES) list.length = RECENT_SCORES;
  }

  async flush(): Promise<void> {}

  async top(limit: number, after: RiskCursor | null): Promise<RiskPage> {
    const all = [...this.latest.values()]
      .filter((k) => after === null || ranksBefore(after, k))
      .sort((a, b) => (ranksBefore(a, b) ? -1 : 1));
    const keys = all.slice(0, limit).map((k) => ({ ...k }));
    const last = keys[keys.length - 1];
    return { keys, next: all.length > limit && last ? { score: last.score, key_id: last.key_id } : null };
  }

  async recent(keyId: string): Promise<ScorePoint[]> {
    return (this.scores.get(keyId) ?? []).map((p) => ({ ...p }));
  }
}
