/**
 * A KeyRiskStore in memory that keeps every closed window's score, not only the latest
 * RECENT_SCORES: the replay report draws each alerted key's whole timeline.
 */
import { RECENT_SCORES, type KeyRiskStore, type RiskCursor, type RiskPage, type ScorePoint } from '../../alerts/key-risk-store.js';
import { MemoryKeyRiskStore } from '../../alerts/memory-key-risk-store.js';

export class ScoreHistory implements KeyRiskStore {
  private readonly ranking = new MemoryKeyRiskStore();
  /** Oldest first, as recorded (window ends only grow per key). */
  private readonly all = new Map<string, ScorePoint[]>();

  record(keyId: string, windowEnd: number, score: number): void {
    this.ranking.record(keyId, windowEnd, score);
    let list = this.all.get(keyId);
    if (!list) this.all.set(keyId, (list = []));
    list.push({ window_end: windowEnd, score });
  }

  async flush(): Promise<void> {}

  top(limit: number, after: RiskCursor | null): Promise<RiskPage> {
    return this.ranking.top(limit, after);
  }

  async recent(keyId: string): Promise<ScorePoint[]> {
    return (this.all.get(keyId) ?? []).slice(-RECENT_SCORES).reverse();
  }

  /** Scores of the key's windows ending in [from, to], oldest first. */
  between(keyId: string, from: number, to: number): ScorePoint[] {
    return (this.all.get(keyId) ?? []).filter((p) => p.window_end >= from && p.window_end <= to);
  }
}
