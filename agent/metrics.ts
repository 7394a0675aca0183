/** Agent counters (lowslow_agent_*), read by the stats log line and, later, /metrics. */
import { REJECT_REASONS, type RejectReason } from './parsers/index.js';

export class AgentMetrics {
  linesRead = 0;
  eventsPublished = 0;
  batchesPublished = 0;
  publishRetries = 0;
  readonly rejected: Record<RejectReason | 'invalid_event', number> = Object.fromEntries(
    [...REJECT_REASONS, 'invalid_event'].map((r) => [r, 0]),
  ) as Record<RejectReason | 'invalid_event', number>;

  get rejectedTotal(): number {
    let n = 0;
    for (const v of Object.values(this.rejected)) n += v;
    return n;
  }

  snapshot(): Record<string, number> {
    const out: Record<string, number> = {
      lowslow_agent_lines_read_total: this.linesRead,
      lowslow_agent_events_published_total: this.eventsPublished,
      lowslow_agent_batches_published_total: this.batchesPublished,
      lowslow_agent_publish_retries_total: this.publishRetries,
    };
    for (const [reason, n] of Object.entries(this.rejected)) out[`lowslow_agent_lines_rejected_total{reason="${reason}"}`] = n;
    return out;
  }
}

/** At most one warning per interval; the rest are counted into the next one. Never logs line content. */
export class RateLimitedWarning {
  private last = 0;
  private suppressed = 0;

  constructor(private readonly intervalMs = 10_000) {}

  /** Returns how many were suppressed since the last warning, or -1 when this one is suppressed too. */
  take(now = Date.now()): number {
    if (now - this.last < this.intervalMs) {
      this.suppressed++;
      return -1;
    }
    this.last = now;
    const n = this.suppressed;
    this.suppressed = 0;
    return n;
  }
}
