/**
 * Per-key risk: the latest window score of every key (GET /v1/keys ranks keys by it) and each
 * key's recent scores (GET /v1/keys/:key_id). AlertDecider records every closed window. Ranking is
 * highest score first, ties by key_id descending; pages go on after the last (score, key_id).
 */

/** Closed windows kept per key. */
export const RECENT_SCORES = 48;

export interface KeyRisk {
  key_id: string;
  /** Score of the key's latest closed window. */
  score: number;
  /** End (event time, ms) of that window. */
  window_end: number;
}

export interface ScorePoint {
  window_end: number;
  score: number;
}

export interface RiskCursor {
  score: number;
  key_id: string;
}

export interface RiskPage {
  keys: KeyRisk[];
  next: RiskCursor | null;
}

export interface KeyRiskStore {
  /**
   * Records a closed window's score. Off the detection path: it may buffer and write soon after;
   * a failed write is counted and logged by the store, never thrown at the detector.
   */
  record(keyId: string, windowEnd: number, score: number): void;
  /** Writes what record() buffered. */
  flush(): Promise<void>;
  top(limit: number, after: RiskCursor | null): Promise<RiskPage>;
  /** Newest first, at most RECENT_SCORES. */
  recent(keyId: string): Promise<ScorePoint[]>;
}

/** Ranking order: true when `a` comes before `b`. */
export function ranksBefore(a: { score: number; key_id: string }, b: { score: number; key_id: string }): boolean {
  return a.score > b.score || (a.score === b.score && a.key_id > b.key_id);
}
