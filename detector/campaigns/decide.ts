/**
 * Raises coverage and campaign alerts: one active alert per key (or campaign) and kind, as for a
 * key's windows; a later finding extends it and raises its severity, or adds the members that
 * joined and the kinds of evidence it did not name yet, instead of repeating it. A false-positive verdict on the key (or campaign) and kind
 * holds new ones back.
 */
import type { Alert, Campaign, Reason, Severity } from '../../contracts/index.js';
import { SEVERITIES } from '../../contracts/index.js';
import { isActive, type AlertStore } from '../alerts/alert-store.js';
import { alertId } from '../alerts/decide.js';
import type { AlertPublisher } from '../alerts/publish.js';
import { severityOf } from '../alerts/score.js';
import type { Suppressions } from '../alerts/suppressions.js';

export const COVERAGE_KIND = 'coverage';
export const CAMPAIGN_KIND = 'campaign';

export interface Finding {
  kind: typeof COVERAGE_KIND | typeof CAMPAIGN_KIND;
  /** The key, or the campaign id. */
  keyId: string;
  score: number;
  window: { start: number; end: number };
  closedAt: number;
  reasons: Reason[];
  evidence: Alert['evidence'];
  source: Alert['source'];
  campaign?: Campaign;
}

export interface FindingDeciderOptions {
  threshold: number;
  modelVersion: string;
  now?: () => number;
  suppressions?: Suppressions;
}

const rank = (s: Severity) => SEVERITIES.indexOf(s);
const round = (x: number) => Math.round(x * 10_000) / 10_000;
const MAX_MEMBERS = 32;
const MAX_REASONS = 8;

/** Members of both, the newer figures first; answers whether any joined. */
function joinMembers(cur: Campaign, next: Campaign): boolean {
  const known = new Set(cur.members.map((m) => m.key_id));
  const joined = next.members.some((m) => !known.has(m.key_id));
  const byKey = new Map(cur.members.map((m) => [m.key_id, m]));
  for (const m of next.members) byKey.set(m.key_id, m);
  cur.members = [...byKey.values()].sort((a, b) => b.share - a.share || (a.key_id < b.key_id ? -1 : 1)).slice(0, MAX_MEMBERS);
  cur.basis = [...new Set([...cur.basis, ...next.basis])];
  if (next.route !== undefined && next.route === cur.route && next.coverage !== undefined) cur.coverage = Math.max(cur.coverage ?? 0, next.coverage);
  return joined;
}

export class FindingDecider {
  private readonly now: () => number;

  constructor(
    private readonly store: AlertStore,
    private readonly publisher: AlertPublisher,
    private readonly opts: FindingDeciderOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** The alert raised, raised in severity or joined by members, or null. */
  async consider(f: Finding): Promise<Alert | null> {
    const { threshold, suppressions } = this.opts;
    if (f.score < threshold) return null;
    if (suppressions && (await suppressions.isSuppressed(f.keyId, f.kind))) return null;
    const severity = severityOf(f.score, threshold);
    const now = this.now();
    const open = await this.store.openFor(f.keyId, f.kind);
    if (open) {
      let changed = false;
      const stored = await this.store.update(
        open.id,
        (cur) => {
          if (!isActive(cur)) return null;
          const raised = rank(severity) > rank(cur.severity);
          const joined = cur.campaign !== undefined && f.campaign !== undefined && joinMembers(cur.campaign, f.campaign);
          // A kind of evidence the alert did not name yet (a campaign's slices, its volume) is added to it.
          const known = new Set(cur.reasons.map((r) => r.feature));
          const fresh = raised ? [] : f.reasons.filter((r) => !known.has(r.feature));
          changed = raised || joined || fresh.length > 0;
          cur.window.end = Math.max(cur.window.end, f.window.end);
          if (raised) Object.assign(cur, { severity, score: round(f.score), reasons: f.reasons, evidence: f.evidence });
          else if (fresh.length > 0) cur.reasons = [...cur.reasons, ...fresh].slice(0, MAX_REASONS);
          if (changed) Object.assign(cur, { event_time: f.closedAt, updated_at: now });
          return cur;
        },
        async (next) => {
          if (changed) await this.publisher.publish(next);
        },
      );
      if (stored && isActive(stored)) return changed ? stored : null;
    }
    const alert: Alert = {
      v: 1,
      id: alertId(f.keyId, f.kind, f.window.start),
      created_at: now,
      updated_at: now,
      event_time: f.closedAt,
      key_id: f.keyId,
      kind: f.kind,
      severity,
      score: round(f.score),
      threshold,
      model_version: this.opts.modelVersion,
      window: f.window,
      reasons: f.reasons,
      evidence: f.evidence,
      source: f.source,
      status: 'open',
    };
    if (f.campaign) alert.campaign = f.campaign;
    await this.publisher.publish(alert);
    await this.store.put(alert);
    return alert;
  }
}
