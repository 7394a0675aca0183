/** CrowdSec bridge counters (lowslow_detector_crowdsec_*), and the queue gauge beside them. */
import type { MetricFamily } from '../metrics.js';

export type DropReason = 'queue_full' | 'queue_error' | 'expired' | 'refused';
export type LoginOutcome = 'ok' | 'refused' | 'failed';

export class CrowdsecMetrics {
  queued = 0;
  pushed = 0;
  retried = 0;
  decisionsDeleted = 0;
  readonly dropped: Record<DropReason, number> = { queue_full: 0, queue_error: 0, expired: 0, refused: 0 };
  readonly logins: Record<LoginOutcome, number> = { ok: 0, refused: 0, failed: 0 };

  /** `pending`: alerts waiting in the queue, read at scrape time. */
  families(pending: number | null): MetricFamily[] {
    const counter = (name: string, help: string, value: number): MetricFamily => ({ name, help, type: 'counter', values: [{ value }] });
    const out: MetricFamily[] = [
      counter('lowslow_detector_crowdsec_alerts_queued_total', 'Alerts queued for the CrowdSec LAPI.', this.queued),
      counter('lowslow_detector_crowdsec_alerts_pushed_total', 'Alerts the CrowdSec LAPI accepted (each with its decision).', this.pushed),
      counter('lowslow_detector_crowdsec_retries_total', 'Failed attempts to reach the CrowdSec LAPI, retried later.', this.retried),
      counter('lowslow_detector_crowdsec_decisions_deleted_total', 'Decisions lifted after a false-positive verdict.', this.decisionsDeleted),
      {
        name: 'lowslow_detector_crowdsec_alerts_dropped_total',
        help: 'Alerts never pushed, by reason: queue_full (queue_max reached), queue_error (queue unreachable), expired (their decision would have ended), refused (LAPI refused the request).',
        type: 'counter',
        values: Object.entries(this.dropped).map(([reason, value]) => ({ labels: { reason }, value })),
      },
      {
        name: 'lowslow_detector_crowdsec_logins_total',
        help: 'Machine logins to the CrowdSec LAPI, by outcome.',
        type: 'counter',
        values: Object.entries(this.logins).map(([outcome, value]) => ({ labels: { outcome }, value })),
      },
    ];
    if (pending !== null) out.push({ name: 'lowslow_detector_crowdsec_pending', help: 'Alerts waiting for the CrowdSec LAPI.', type: 'gauge', values: [{ value: pending }] });
    return out;
  }
}
