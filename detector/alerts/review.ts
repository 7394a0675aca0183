/**
 * What analysts do to an alert: acknowledge it, resolve it, or give a verdict (true or false
 * positive, with a note). A status change is published like the alert itself (NATS, webhooks)
 * before it is stored; a false-positive verdict suppresses new alerts of that key and kind, and
 * hands the alert's windows back to the training set (they were held out when they alerted). With
 * a calibrator, every verdict also moves the key's (and kind's) threshold, and withdrawing the
 * verdict moves it back; the suppression is lifted too (windows returned to training stay there).
 */
import type { Alert, Verdict } from '../../contracts/index.js';
import type { DetectorMetrics } from '../metrics.js';
import type { AlertStore } from './alert-store.js';
import type { AlertPublisher } from './publish.js';
import type { Calibrator } from './calibrator.js';
import type { Suppressions } from './suppressions.js';

/** `actor` names who acted in the calibration audit log (never a token). */
export type ReviewAction =
  | { kind: 'ack' }
  | { kind: 'resolve' }
  | { kind: 'feedback'; verdict: Verdict; note: string; actor?: string }
  | { kind: 'withdraw'; actor?: string };

export type ReviewResult =
  | { outcome: 'changed' | 'unchanged'; alert: Alert }
  | { outcome: 'not_found' }
  | { outcome: 'conflict'; alert: Alert; message: string };

/** Where a false-positive verdict sends the alert's windows: the detector's training set. */
export interface TrainingFeedback {
  /** Resolves with the number of windows that joined the training set. Must not throw for an unknown alert. */
  falsePositive(alert: Alert): Promise<number>;
}

export interface ReviewDeps {
  store: AlertStore;
  /** Where status changes are published; none: stored only. */
  publisher?: AlertPublisher;
  suppressions?: Suppressions;
  /** Receives false positives for the next training set; none: suppression only. */
  training?: TrainingFeedback;
  /** How long a false-positive verdict suppresses the key and kind. @default 0 */
  suppressMs?: number;
  metrics?: DetectorMetrics;
  /** Verdicts move thresholds; none: they only suppress and feed training. */
  calibration?: Calibrator;
  now?: () => number;
}

/**
 * The alert after the action, `null` when nothing changes, or a string saying why the action does
 * not apply. ack: open → acknowledged. resolve: open or acknowledged → resolved. A false-positive
 * verdict closes the alert as false_positive from any status; a true-positive verdict marks an open
 * (or wrongly dismissed) alert acknowledged. Withdrawing the verdict removes it; a false positive
 * opens again, unless `otherActive` (another alert of the key and kind is active: one at a time),
 * in which case it is resolved.
 */
export function reviewed(a: Alert, action: ReviewAction, now: number, otherActive = false): Alert | null | string {
  const next = structuredClone(a);
  switch (action.kind) {
    case 'ack':
      if (a.status === 'acknowledged') return null;
      if (a.status !== 'open') return `alert ${a.id} is ${a.status}; only an open alert can be acknowledged`;
      next.status = 'acknowledged';
      break;
    case 'resolve':
      if (a.status === 'resolved') return null;
      if (a.status === 'false_positive') return `alert ${a.id} is a false positive; give a true_positive verdict first`;
      next.status = 'resolved';
      break;
    case 'feedback':
      next.feedback = { verdict: action.verdict, note: action.note, at: now };
      if (action.verdict === 'false_positive') next.status = 'false_positive';
      else if (a.status === 'open' || a.status === 'false_positive') next.status = 'acknowledged';
      break;
    case 'withdraw':
      if (!a.feedback) return `alert ${a.id} has no verdict to withdraw`;
      delete next.feedback;
      if (a.status === 'false_positive') next.status = otherActive ? 'resolved' : 'open';
      break;
  }
  next.updated_at = now;
  return next;
}

export class AlertReview {
  private readonly now: () => number;

  constructor(private readonly deps: ReviewDeps) {
    this.now = deps.now ?? Date.now;
  }

  async apply(id: string, action: ReviewAction): Promise<ReviewResult> {
    // What the last run of the mutation saw (it runs again when another writer got in first).
    const seen: { previous?: Alert['status']; result?: Alert | null | string } = {};
    const otherActive = action.kind === 'withdraw' ? await this.otherActive(id) : false;
    const stored = await this.deps.store.update(
      id,
      (cur) => {
        seen.previous = cur.status;
        seen.result = reviewed(cur, action, this.now(), otherActive);
        return typeof seen.result === 'string' ? null : seen.result;
      },
      async (next) => {
        if (next.status !== seen.previous) await this.deps.publisher?.publish(next);
      },
    );
    if (stored === null) return { outcome: 'not_found' };
    if (typeof seen.result === 'string') return { outcome: 'conflict', alert: stored, message: seen.result };
    if (!seen.result) return { outcome: 'unchanged', alert: stored };
    await this.afterChange(stored, seen.previous, action);
    return { outcome: 'changed', alert: stored };
  }

  /** Whether another alert of the same key and kind is active (a withdrawn false positive must not reopen beside it). */
  private async otherActive(id: string): Promise<boolean> {
    const a = await this.deps.store.get(id);
    if (!a) return false;
    const open = await this.deps.store.openFor(a.key_id, a.kind);
    return open !== null && open.id !== id;
  }

  private async afterChange(a: Alert, previous: Alert['status'] | undefined, action: ReviewAction): Promise<void> {
    const { suppressions, suppressMs = 0, metrics, training, calibration } = this.deps;
    if (a.feedback?.verdict === 'false_positive' && a.status === 'false_positive') {
      await suppressions?.suppress(a.key_id, a.kind, suppressMs);
      if (previous !== 'false_positive') await training?.falsePositive(a);
    } else if (previous === 'false_positive') await suppressions?.lift(a.key_id, a.kind);
    if (action.kind === 'feedback') await calibration?.label(a, action.actor ?? 'internal');
    if (action.kind === 'withdraw') await calibration?.withdraw(a, action.actor ?? 'internal');
    if (metrics && a.status !== previous) metrics.statusChanges[a.status] = (metrics.statusChanges[a.status] ?? 0) + 1;
  }
}
