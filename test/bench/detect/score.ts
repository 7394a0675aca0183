/**
 * Alerts against the truth of one run. An alert counts for an attack when it is on the
 * attacker's key (a campaign alert: when the attacker's key is one of its members) and its window
 * ends after the attack start; any other alert (an honest key, or an attacked key before its
 * attack; a campaign none of whose members is attacking) is a false alert. Time to detect is the
 * end of the first such window minus the attack start.
 */
import { computeKeyId } from '../../../agent/sanitize/key-id.js';
import type { Alert } from '../../../contracts/index.js';
import type { Truth, TruthKey } from '../../sim/truth.js';
import { DAY_MS, type KeyStats } from './traffic-stats.js';

/** What the benchmark keeps of an alert each time it is raised or raised in severity. */
export interface SeenAlert {
  id: string;
  keyId: string;
  /** behaviour, coverage or campaign. */
  kind: string;
  /** The keys the alert is about: its key, or a campaign's members. */
  keys: string[];
  windowStart: number;
  windowEnd: number;
  severity: string;
  features: string[];
  /** The first reason's text. */
  text: string;
}

export function seenAlert(a: Alert): SeenAlert {
  return {
    id: a.id,
    keyId: a.key_id,
    kind: a.kind,
    keys: a.campaign ? a.campaign.members.map((m) => m.key_id) : [a.key_id],
    windowStart: a.window.start,
    windowEnd: a.window.end,
    severity: a.severity,
    features: a.reasons.map((r) => r.feature),
    text: a.reasons[0]?.text ?? '',
  };
}

export interface AttackOutcome {
  seed: number;
  key: TruthKey;
  startMs: number;
  /** ms from attack start to the end of the first alerting window; null when never alerted. */
  detectMs: number | null;
  /** Features named by the first alert after the start, and its kind. */
  features: string[];
  kind: string | null;
  /** The first alert of each kind after the start: ms to detect. */
  byKind: Record<string, number>;
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
  text: string;
  kind: string;
  /** Campaign alerts: the personas of its members. */
  members?: string[];
}

export interface RunScore {
  attacks: AttackOutcome[];
  falseAlerts: FalseAlert[];
  /** Honest key-days after the learning period, per honest persona (attacked keys count until their attack). */
  keyDays: Map<string, number>;
  /** Alerts on key_ids the truth does not know. */
  unknown: number;
  /** Campaign alerts that list attackers, and the honest keys they list beside them. */
  campaigns: Array<{ id: string; attackers: number; honest: string[] }>;
}

export function scoreRun(seed: number, truth: Truth, stats: Record<string, KeyStats>, seen: SeenAlert[], secret: string, learningMs: number): RunScore {
  const byId = new Map(truth.keys.map((k) => [computeKeyId(secret, k.key), k]));
  const attacking = (k: TruthKey, a: SeenAlert) => k.attack_start_ms !== null && a.windowEnd > k.attack_start_ms;
  // Every revision of an alert counts for hits; its first revision (and, for campaigns, every
  // member it ever listed) decides whether it was a false one.
  const first = new Map<string, SeenAlert>();
  const members = new Map<string, Set<string>>();
  const hits = new Map<string, SeenAlert>();
  const hitsByKind = new Map<string, Record<string, number>>();
  for (const a of seen) {
    if (!first.has(a.id)) first.set(a.id, a);
    const m = members.get(a.id) ?? new Set<string>();
    for (const k of a.keys) m.add(k);
    members.set(a.id, m);
    for (const keyId of a.keys) {
      const key = byId.get(keyId);
      if (!key || !attacking(key, a)) continue;
      const prev = hits.get(key.key);
      if (!prev || a.windowEnd < prev.windowEnd) hits.set(key.key, a);
      const kinds = hitsByKind.get(key.key) ?? {};
      const ms = a.windowEnd - (key.attack_start_ms as number);
      if (kinds[a.kind] === undefined || ms < (kinds[a.kind] as number)) kinds[a.kind] = ms;
      hitsByKind.set(key.key, kinds);
    }
  }

  let unknown = 0;
  const falseAlerts: FalseAlert[] = [];
  const campaigns: RunScore['campaigns'] = [];
  for (const a of first.values()) {
    const keys = [...(members.get(a.id) ?? [])].map((id) => byId.get(id));
    if (keys.some((k) => k === undefined)) {
      unknown++;
      continue;
    }
    const known = keys as TruthKey[];
    const attackers = known.filter((k) => attacking(k, a));
    if (a.kind === 'campaign' && attackers.length > 0) {
      campaigns.push({ id: a.id, attackers: attackers.length, honest: known.filter((k) => !k.abusive).map((k) => k.persona) });
      continue;
    }
    if (attackers.length > 0) continue;
    const key = known[0] as TruthKey;
    const firstMs = stats[key.key]?.firstMs ?? truth.window.start_ms;
    falseAlerts.push({
      seed,
      persona: key.base_persona ?? key.persona,
      key: key.key,
      windowEnd: a.windowEnd,
      day: Math.floor((a.windowEnd - 1 - truth.window.start_ms) / DAY_MS),
      keyAgeDays: (a.windowEnd - firstMs) / DAY_MS,
      features: a.features,
      text: a.text,
      kind: a.kind,
      ...(a.kind === 'campaign' ? { members: known.map((k) => k.base_persona ?? k.persona) } : {}),
    });
  }

  const attacks = truth.keys
    .filter((k) => k.attack_start_ms !== null)
    .map((key): AttackOutcome => {
      const hit = hits.get(key.key);
      const startMs = key.attack_start_ms as number;
      return {
        seed,
        key,
        startMs,
        detectMs: hit ? hit.windowEnd - startMs : null,
        features: hit?.features ?? [],
        kind: hit?.kind ?? null,
        byKind: hitsByKind.get(key.key) ?? {},
        stats: stats[key.key],
      };
    });

  const keyDays = new Map<string, number>();
  const observedFrom = truth.window.start_ms + learningMs;
  for (const key of truth.keys) {
    const s = stats[key.key];
    if (!s || s.firstMs < 0) continue;
    const persona = key.abusive ? key.base_persona : (key.base_persona ?? key.persona);
    if (!persona) continue;
    const from = Math.max(observedFrom, Math.floor(s.firstMs / DAY_MS) * DAY_MS);
    const to = Math.min(truth.window.end_ms, key.attack_start_ms ?? Infinity);
    if (to > from) keyDays.set(persona, (keyDays.get(persona) ?? 0) + (to - from) / DAY_MS);
  }
  return { attacks, falseAlerts, keyDays, unknown, campaigns };
}
