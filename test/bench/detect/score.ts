/**
 * Alerts against the truth of one run. An alert counts for an attack when it is on the
 * attacker's key and its window ends after the attack start; any other alert (an honest key,
 * or an attacked key before its attack) is a false alert. Time to detect is the end of the
 * first such window minus the attack start.
 */
import { computeKeyId } from '../../../agent/sanitize/key-id.js';
import type { Alert } from '../../../contracts/index.js';
import type { Truth, TruthKey } from '../../sim/truth.js';
import { DAY_MS, type KeyStats } from './traffic-stats.js';

/** What the benchmark keeps of an alert each time it is raised or raised in severity. */
export interface SeenAlert {
  id: string;
  keyId: string;
  windowStart: number;
  windowEnd: number;
  severity: string;
  features: string[];
}

export function seenAlert(a: Alert): SeenAlert {
  return {
    id: a.id,
    keyId: a.key_id,
    windowStart: a.window.start,
    windowEnd: a.window.end,
    severity: a.severity,
    features: a.reasons.map((r) => r.feature),
  };
}

export interface AttackOutcome {
  seed: number;
  key: TruthKey;
  startMs: number;
  /** ms from attack start to the end of the first alerting window; null when never alerted. */
  detectMs: number | null;
  /** Features named by the first alert after the start. */
  features: string[];
  stats: KeyStats | undefined;
}

export interface FalseAlert {
  seed: number;
  persona: string;
  key: string;
  windowEnd: number;
  /** 0-based day of the run the window ends in. */
  day: number;
  /** Days since the key's first request. */
  keyAgeDays: number;
  features: string[];
}

export interface RunScore {
  attacks: AttackOutcome[];
  falseAlerts: FalseAlert[];
  /** Honest key-days after the learning period, per honest persona (attacked keys count until their attack). */
  keyDays: Map<string, number>;
  /** Alerts on key_ids the truth does not know. */
  unknown: number;
}

export function scoreRun(seed: number, truth: Truth, stats: Record<string, KeyStats>, seen: SeenAlert[], secret: string, learningMs: number): RunScore {
  const byId = new Map(truth.keys.map((k) => [computeKeyId(secret, k.key), k]));
  const first = new Map<string, SeenAlert>();
  const hits = new Map<string, SeenAlert>();
  let unknown = 0;
  for (const a of seen) {
    const key = byId.get(a.keyId);
    if (!key) {
      if (!first.has(a.id)) unknown++;
      first.set(a.id, first.get(a.id) ?? a);
      continue;
    }
    if (!first.has(a.id)) first.set(a.id, a);
    const start = key.attack_start_ms;
    if (start !== null && a.windowEnd > start) {
      const prev = hits.get(key.key);
      if (!prev || a.windowEnd < prev.windowEnd) hits.set(key.key, a);
    }
  }

  const falseAlerts: FalseAlert[] = [];
  for (const a of first.values()) {
    const key = byId.get(a.keyId);
    if (!key) continue;
    if (key.attack_start_ms === null || a.windowEnd <= key.attack_start_ms) {
      const firstMs = stats[key.key]?.firstMs ?? truth.window.start_ms;
      falseAlerts.push({
        seed,
        persona: key.base_persona ?? key.persona,
        key: key.key,
        windowEnd: a.windowEnd,
        day: Math.floor((a.windowEnd - 1 - truth.window.start_ms) / DAY_MS),
        keyAgeDays: (a.windowEnd - firstMs) / DAY_MS,
        features: a.features,
      });
    }
  }

  const attacks = truth.keys
    .filter((k) => k.attack_start_ms !== null)
    .map((key): AttackOutcome => {
      const hit = hits.get(key.key);
      const startMs = key.attack_start_ms as number;
      return { seed, key, startMs, detectMs: hit ? hit.windowEnd - startMs : null, features: hit?.features ?? [], stats: stats[key.key] };
    });

  const keyDays = new Map<string, number>();
  const observedFrom = truth.window.start_ms + learningMs;
  for (const key of truth.keys) {
    const s = stats[key.key];
    if (!s || s.firstMs < 0) continue;
    const persona = key.abusive ? key.base_persona : key.persona;
    if (!persona) continue;
    const from = Math.max(observedFrom, Math.floor(s.firstMs / DAY_MS) * DAY_MS);
    const to = Math.min(truth.window.end_ms, key.attack_start_ms ?? Infinity);
    if (to > from) keyDays.set(persona, (keyDays.get(persona) ?? 0) + (to - from) / DAY_MS);
  }
  return { attacks, falseAlerts, keyDays, unknown };
}
