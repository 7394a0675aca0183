/**
 * Where calibration labels and their audit log live. A label is one alert's verdict, kept on its
 * key and on its kind; one label per alert (a new verdict on the same alert replaces it). Every
 * change of a threshold offset is an audit entry: who, which alert and verdict, old → new, when.
 * Obligations: `putLabel` and `removeLabel` change the key's and the kind's copy together;
 * stores keep at most KEY_LABELS labels per key, KIND_LABELS per kind, KEY_AUDIT_ENTRIES audit
 * entries per key and AUDIT_ENTRIES overall, dropping the oldest.
 */
import { Type, type Static } from '@sinclair/typebox';
import { VerdictSchema } from '../../contracts/index.js';

export const KEY_LABELS = 64;
export const KIND_LABELS = 1000;
export const AUDIT_ENTRIES = 1000;
export const KEY_AUDIT_ENTRIES = 100;

export const CalibrationLabelSchema = Type.Object(
  {
    alert_id: Type.String({ pattern: '^[0-9a-f]{24}$' }),
    key_id: Type.String({ pattern: '^[0-9a-f]{32}$' }),
    kind: Type.String(),
    verdict: VerdictSchema,
    at: Type.Integer({ description: 'Wall-clock ms the verdict was given.' }),
    actor: Type.String({ description: 'Who gave it: `token:<digest>` of the API token (never the token), or `open` when the API has no tokens.' }),
  },
  { additionalProperties: false },
);
export type CalibrationLabel = Static<typeof CalibrationLabelSchema>;

const Change = Type.Object({ old: Type.Number(), new: Type.Number() }, { additionalProperties: false });

export const CalibrationAuditSchema = Type.Object(
  {
    at: Type.Integer({ description: 'Wall-clock ms of the change.' }),
    actor: Type.String(),
    action: Type.Union([Type.Literal('verdict'), Type.Literal('withdraw'), Type.Literal('reset')], {
      description: 'verdict: a verdict given or changed; withdraw: a verdict taken back (DELETE /v1/alerts/:id/feedback); reset: POST /v1/calibration/:key_id/reset.',
    }),
    key_id: Type.String(),
    kind: Type.String(),
    alert_id: Type.Union([Type.String(), Type.Null()]),
    verdict: Type.Union([VerdictSchema, Type.Null()], { description: 'The verdict given or taken back; null for a reset.' }),
    key_offset: Change,
    kind_offset: Change,
    threshold: Type.Object({ old: Type.Number(), new: Type.Number() }, { additionalProperties: false, description: "The key's threshold for this kind, before and after." }),
  },
  { additionalProperties: false },
);
export type CalibrationAudit = Static<typeof CalibrationAuditSchema>;

export interface CalibrationStore {
  /** Every label of a key, any kind. */
  keyLabels(keyId: string): Promise<CalibrationLabel[]>;
  kindLabels(kind: string): Promise<CalibrationLabel[]>;
  /** Stores the label of an alert (replacing an earlier one of that alert), on its key and kind. */
  putLabel(label: CalibrationLabel): Promise<void>;
  /** Removes an alert's label; resolves with it, or null when there was none. */
  removeLabel(keyId: string, kind: string, alertId: string): Promise<CalibrationLabel | null>;
  appendAudit(entry: CalibrationAudit): Promise<void>;
  /** Audit entries, newest first: of one key, or of every key. */
  audit(keyId: string | null, limit: number): Promise<CalibrationAudit[]>;
  /** Keys with labels or audit entries, most recently changed first. */
  keys(limit: number): Promise<string[]>;
}

/** Newest first, at most `max`. */
function newest<T extends { at: number }>(xs: T[], max: number): T[] {
  return xs.sort((a, b) => b.at - a.at).slice(0, max);
}

/** Labels and audit in process memory, for tests and single-process use. */
export class MemoryCalibrationStore implements CalibrationStore {
  private readonly byKey = new Map<string, Map<string, CalibrationLabel>>();
  private readonly byKind = new Map<string, Map<string, CalibrationLabel>>();
  private readonly log: CalibrationAudit[] = [];
  private readonly keyLog = new Map<string, CalibrationAudit[]>();
  private readonly changed = new Map<string, number>();

  async keyLabels(keyId: string): Promise<CalibrationLabel[]> {
    return [...(this.byKey.get(keyId)?.values() ?? [])].map((l) => ({ ...l }));
  }

  async kindLabels(kind: string): Promise<CalibrationLabel[]> {
    return [...(this.byKind.get(kind)?.values() ?? [])].map((l) => ({ ...l }));
  }

  async putLabel(label: CalibrationLabel): Promise<void> {
    put(this.byKey, label.key_id, label, KEY_LABELS);
    put(this.byKind, label.kind, label, KIND_LABELS);
  }

  async removeLabel(keyId: string, kind: string, alertId: string): Promise<CalibrationLabel | null> {
    const l = this.byKey.get(keyId)?.get(alertId) ?? null;
    this.byKey.get(keyId)?.delete(alertId);
    this.byKind.get(kind)?.delete(alertId);
    return l && l.kind === kind ? { ...l } : null;
  }

  async appendAudit(entry: CalibrationAudit): Promise<void> {
    this.log.unshift(structuredClone(entry));
    if (this.log.length > AUDIT_ENTRIES) this.log.length = AUDIT_ENTRIES;
    let mine = this.keyLog.get(entry.key_id);
    if (!mine) this.keyLog.set(entry.key_id, (mine = []));
    mine.unshift(structuredClone(entry));
    if (mine.length > KEY_AUDIT_ENTRIES) mine.length = KEY_AUDIT_ENTRIES;
    // Most recent last, so that among equal times the latest change lists first.
    this.changed.delete(entry.key_id);
    this.changed.set(entry.key_id, entry.at);
  }

  async audit(keyId: string | null, limit: number): Promise<CalibrationAudit[]> {
    const from = keyId === null ? this.log : (this.keyLog.get(keyId) ?? []);
    return from.slice(0, limit).map((e) => structuredClone(e));
  }

  async keys(limit: number): Promise<string[]> {
    return newest([...this.changed].reverse().map(([key, at]) => ({ key, at })), limit).map((k) => k.key);
  }
}

function put(index: Map<string, Map<string, CalibrationLabel>>, id: string, label: CalibrationLabel, max: number): void {
  let m = index.get(id);
  if (!m) index.set(id, (m = new Map()));
  m.set(label.alert_id, { ...label });
  if (m.size <= max) return;
  for (const old of newest([...m.values()], Infinity).slice(max)) m.delete(old.alert_id);
}
