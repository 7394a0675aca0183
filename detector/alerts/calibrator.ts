/**
 * Threshold calibration by verdicts: the decider asks it for a key's threshold, the review records
 * verdicts with it, the API shows and resets it. Every change is written to the audit log with the
 * offsets and threshold before and after. Taking a verdict back (or resetting a key) removes its
 * labels, which restores the value the offsets would have without them. A kind's labels are read
 * again at most every `kindCacheMs` (another detector's verdicts show within that), and at once
 * after a change made here.
 */
import type { Alert } from '../../contracts/index.js';
import { calibratedThreshold, combinedOffset, kindOffsetOf, lowestThreshold, offsetOf, remembered, round, weightOf, type CalibrationOptions } from './calibration.js';
import type { CalibrationAudit, CalibrationLabel, CalibrationStore } from './calibration-store.js';
import { KIND } from './decide.js';

export interface CalibratorDeps {
  store: CalibrationStore;
  options: CalibrationOptions;
  /** detection.threshold */
  base: number;
  /** Wall clock: labels decay with it. */
  now?: () => number;
  /** @default 10000 */
  kindCacheMs?: number;
}

export interface Offsets {
  kind: string;
  key_offset: number;
  kind_offset: number;
  /** Key and kind together, capped. */
  offset: number;
  threshold: number;
}

export interface KeyCalibration {
  key_id: string;
  base_threshold: number;
  kinds: Offsets[];
  labels: Array<CalibrationLabel & { weight: number }>;
  audit: CalibrationAudit[];
}

export class Calibrator {
  private readonly now: () => number;
  private readonly kinds = new Map<string, { labels: CalibrationLabel[]; until: number }>();

  constructor(private readonly deps: CalibratorDeps) {
    this.now = deps.now ?? Date.now;
  }

  get options(): CalibrationOptions {
    return this.deps.options;
  }

  get base(): number {
    return this.deps.base;
  }

  /** Windows scoring below this never alert, whatever the labels: no need to ask. */
  get lowest(): number {
    return lowestThreshold(this.deps.base, this.deps.options);
  }

  async thresholdFor(keyId: string, kind: string): Promise<number> {
    return (await this.offsets(keyId, kind)).threshold;
  }

  async offsets(keyId: string, kind: string, keyLabels?: CalibrationLabel[]): Promise<Offsets> {
    const o = this.deps.options;
    const now = this.now();
    const own = (keyLabels ?? (await this.deps.store.keyLabels(keyId))).filter((l) => l.kind === kind);
    const keyOffset = offsetOf(own, o.keyStep, now, o.halfLifeMs);
    const kindOffset = kindOffsetOf(await this.kindLabels(kind, now), now, o);
    const offset = combinedOffset(keyOffset, kindOffset, o);
    return { kind, key_offset: round(keyOffset), kind_offset: round(kindOffset), offset: round(offset), threshold: calibratedThreshold(this.deps.base, offset, o) };
  }

  private async kindLabels(kind: string, now: number): Promise<CalibrationLabel[]> {
    const hit = this.kinds.get(kind);
    if (hit && hit.until > now) return hit.labels;
    const labels = await this.deps.store.kindLabels(kind);
    this.kinds.set(kind, { labels, until: now + (this.deps.kindCacheMs ?? 10_000) });
    return labels;
  }

  /**
   * Records the verdict on an alert (its `feedback`) as a label. A verdict repeated unchanged
   * changes nothing and writes no audit entry. Resolves with the entry written, or null.
   */
  async label(alert: Alert, actor: string): Promise<CalibrationAudit | null> {
    const f = alert.feedback;
    if (!f) return null;
    const had = (await this.deps.store.keyLabels(alert.key_id)).find((l) => l.alert_id === alert.id);
    if (had?.verdict === f.verdict && had.kind === alert.kind) return null;
    return this.change(alert.key_id, alert.kind, { action: 'verdict', actor, alert_id: alert.id, verdict: f.verdict }, () =>
      this.deps.store.putLabel({ alert_id: alert.id, key_id: alert.key_id, kind: alert.kind, verdict: f.verdict, at: f.at, actor }),
    );
  }

  /** Takes an alert's label back (its verdict was withdrawn). Resolves with the entry, or null when it had none. */
  async withdraw(alert: Pick<Alert, 'id' | 'key_id' | 'kind'>, actor: string): Promise<CalibrationAudit | null> {
    const had = (await this.deps.store.keyLabels(alert.key_id)).find((l) => l.alert_id === alert.id && l.kind === alert.kind);
    if (!had) return null;
    return this.change(alert.key_id, alert.kind, { action: 'withdraw', actor, alert_id: alert.id, verdict: had.verdict }, async () => {
      await this.deps.store.removeLabel(alert.key_id, alert.kind, alert.id);
    });
  }

  /** Removes every label of a key (from its kinds too): its thresholds are the configured ones again. */
  async reset(keyId: string, actor: string): Promise<CalibrationAudit[]> {
    const labels = await this.deps.store.keyLabels(keyId);
    const out: CalibrationAudit[] = [];
    for (const kind of [...new Set(labels.map((l) => l.kind))].sort()) {
      const mine = labels.filter((l) => l.kind === kind);
      out.push(
        await this.change(keyId, kind, { action: 'reset', actor, alert_id: null, verdict: null }, async () => {
          for (const l of mine) await this.deps.store.removeLabel(keyId, kind, l.alert_id);
        }),
      );
    }
    return out;
  }

  private async change(keyId: string, kind: string, what: Pick<CalibrationAudit, 'action' | 'actor' | 'alert_id' | 'verdict'>, apply: () => Promise<void>): Promise<CalibrationAudit> {
    this.kinds.delete(kind);
    const before = await this.offsets(keyId, kind);
    await apply();
    this.kinds.delete(kind);
    const after = await this.offsets(keyId, kind);
    const entry: CalibrationAudit = {
      at: this.now(),
      ...what,
      key_id: keyId,
      kind,
      key_offset: { old: before.key_offset, new: after.key_offset },
      kind_offset: { old: before.kind_offset, new: after.kind_offset },
      threshold: { old: before.threshold, new: after.threshold },
    };
    await this.deps.store.appendAudit(entry);
    return entry;
  }

  /** A key's offsets per kind, its labels with their weight now, and its audit log (newest first). */
  async view(keyId: string, auditLimit = 100): Promise<KeyCalibration> {
    const labels = await this.deps.store.keyLabels(keyId);
    const kinds = [...new Set([KIND, ...labels.map((l) => l.kind)])].sort();
    const now = this.now();
    return {
      key_id: keyId,
      base_threshold: this.deps.base,
      kinds: await Promise.all(kinds.map((k) => this.offsets(keyId, k, labels))),
      labels: labels.sort((a, b) => b.at - a.at).map((l) => ({ ...l, weight: round(weightOf(l.at, now, this.deps.options.halfLifeMs)) })),
      audit: await this.deps.store.audit(keyId, auditLimit),
    };
  }

  /** Every kind's offset (those of the keys listed), the keys changed most recently with their offsets, and the latest audit entries. */
  async overview(limit: number) {
    const o = this.deps.options;
    const now = this.now();
    const changed = await this.deps.store.keys(limit);
    const keyLabels = await Promise.all(changed.map((k) => this.deps.store.keyLabels(k)));
    const known = [...new Set([KIND, ...keyLabels.flat().map((l) => l.kind)])].sort();
    const kinds = await Promise.all(
      known.map(async (kind) => {
        const labels = (await this.deps.store.kindLabels(kind)).filter((l) => remembered(l, now, o.halfLifeMs));
        return { kind, labels: labels.length, counts: labels.length >= o.kindMinLabels, offset: round(kindOffsetOf(labels, now, o)) };
      }),
    );
    const keys = await Promise.all(
      changed.map(async (keyId, i) => {
        const labels = keyLabels[i] as CalibrationLabel[];
        return { key_id: keyId, labels: labels.length, kinds: await Promise.all([...new Set([KIND, ...labels.map((l) => l.kind)])].sort().map((k) => this.offsets(keyId, k, labels))) };
      }),
    );
    return { base_threshold: this.deps.base, kinds, keys, audit: await this.deps.store.audit(null, limit) };
  }
}
