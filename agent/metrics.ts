/** Agent counters (lowslow_agent_*), read by the stats log line and /metrics (agent/metrics-http.ts). */
import { REJECT_REASONS, type RejectReason } from './parsers/index.js';

export class AgentMetrics {
  linesRead = 0;
  /** Lines and records that became an event (read minus rejected, before duplicates are skipped). */
  linesParsed = 0;
  eventsPublished = 0;
  batchesPublished = 0;
  publishRetries = 0;
  eventsSpooled = 0;
  spoolFull = 0;
  duplicatesSkipped = 0;
  /** Publish acknowledgement latency histogram (ms buckets). */
  readonly publishBuckets = [1, 5, 10, 25, 50, 100, 250, 1000, 5000];
  readonly publishCounts = new Array<number>(10).fill(0);
  publishSumMs = 0;
  publishCount = 0;

  observePublish(ms: number): void {
    let i = 0;
    while (i < this.publishBuckets.length && ms > (this.publishBuckets[i] as number)) i++;
    this.publishCounts[i] = (this.publishCounts[i] as number) + 1;
    this.publishSumMs += ms;
    this.publishCount++;
  }
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
      lowslow_agent_lines_parsed_total: this.linesParsed,
      lowslow_agent_events_published_total: this.eventsPublished,
      lowslow_agent_batches_published_total: this.batchesPublished,
      lowslow_agent_publish_retries_total: this.publishRetries,
      lowslow_agent_events_spooled_total: this.eventsSpooled,
      lowslow_agent_spool_full_total: this.spoolFull,
      lowslow_agent_duplicates_skipped_total: this.duplicatesSkipped,
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

/**
 * Prometheus text exposition of the counters, plus gauges supplied by the caller and the inputs'
 * own series (`name` or `name{label="v"}`; a name ending in `_total` is a counter).
 */
export function renderPrometheus(m: AgentMetrics, gauges: Record<string, number>, inputs: Record<string, number> = {}): string {
  const out: string[] = [];
  const counter = (name: string, help: string, v: number) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${v}`);
  counter('lowslow_agent_lines_read_total', 'Lines and records read from every input.', m.linesRead);
  counter('lowslow_agent_lines_parsed_total', 'Lines and records that became an AccessEvent.', m.linesParsed);
  counter('lowslow_agent_events_published_total', 'Events acknowledged by JetStream.', m.eventsPublished);
  counter('lowslow_agent_batches_published_total', 'Batches acknowledged by JetStream.', m.batchesPublished);
  counter('lowslow_agent_publish_retries_total', 'Publishes that failed and went to the spool.', m.publishRetries);
  counter('lowslow_agent_events_spooled_total', 'Events written to the disk spool.', m.eventsSpooled);
  counter('lowslow_agent_duplicates_skipped_total', 'Re-read events already in the stream, skipped after a restart.', m.duplicatesSkipped);
  out.push('# HELP lowslow_agent_lines_rejected_total Lines skipped, by reason.', '# TYPE lowslow_agent_lines_rejected_total counter');
  for (const [reason, n] of Object.entries(m.rejected)) out.push(`lowslow_agent_lines_rejected_total{reason="${reason}"} ${n}`);
  out.push('# HELP lowslow_agent_publish_latency_ms JetStream publish acknowledgement latency.', '# TYPE lowslow_agent_publish_latency_ms histogram');
  let cum = 0;
  m.publishBuckets.forEach((le, i) => {
    cum += m.publishCounts[i] as number;
    out.push(`lowslow_agent_publish_latency_ms_bucket{le="${le}"} ${cum}`);
  });
  out.push(`lowslow_agent_publish_latency_ms_bucket{le="+Inf"} ${m.publishCount}`);
  out.push(`lowslow_agent_publish_latency_ms_sum ${m.publishSumMs}`, `lowslow_agent_publish_latency_ms_count ${m.publishCount}`);
  for (const [name, v] of Object.entries(gauges)) out.push(`# TYPE ${name} gauge`, `${name} ${v}`);
  let family = '';
  for (const [series, v] of Object.entries(inputs)) {
    const name = series.replace(/\{.*$/, '');
    if (name !== family) out.push(`# TYPE ${name} ${name.endsWith('_total') ? 'counter' : 'gauge'}`);
    family = name;
    out.push(`${series} ${v}`);
  }
  return `${out.join('\n')}\n`;
}
