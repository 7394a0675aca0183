/** Detector counters (lowslow_detector_*), and the Prometheus text they are served as. */
import type { Severity } from '../contracts/index.js';

/** One Prometheus metric family: a name, its help, its type and labelled values. */
export interface MetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  values: Array<{ labels?: Record<string, string>; value: number }>;
}

export class DetectorMetrics {
  eventsIn = 0;
  eventsScored = 0;
  duplicates = 0;
  invalid = 0;
  unkeyed = 0;
  late = 0;
  windowsClosed = 0;
  alertsRaised = 0;
  redeliveriesSkipped = 0;
  /** Messages redelivered after one lost in transit, applied out of order. */
  redeliveriesApplied = 0;
  populationTypical = 0;
  modelsTrained = 0;
  /** Alerts raised or raised in severity, by their (new) severity. */
  readonly alertsBySeverity: Record<Severity, number> = { low: 0, medium: 0, high: 0, critical: 0 };
  /** Anomalous windows that raised nothing because a false-positive verdict suppresses the key. */
  alertsSuppressed = 0;
  /** Windows over detection.threshold that raised nothing because verdicts raised the key's or kind's threshold. */
  alertsCalibrated = 0;
  /** Status changes made through the API (ack, resolve, feedback), by new status. */
  readonly statusChanges: Record<string, number> = {};

  snapshot(): Record<string, number> {
    return {
      lowslow_detector_events_in_total: this.eventsIn,
      lowslow_detector_events_scored_total: this.eventsScored,
      lowslow_detector_events_duplicate_total: this.duplicates,
      lowslow_detector_events_invalid_total: this.invalid,
      lowslow_detector_events_unkeyed_total: this.unkeyed,
      lowslow_detector_events_late_total: this.late,
      lowslow_detector_windows_closed_total: this.windowsClosed,
      lowslow_detector_alerts_total: this.alertsRaised,
      lowslow_detector_alerts_suppressed_total: this.alertsSuppressed,
      lowslow_detector_alerts_calibrated_total: this.alertsCalibrated,
      lowslow_detector_redeliveries_skipped_total: this.redeliveriesSkipped,
      lowslow_detector_redeliveries_applied_total: this.redeliveriesApplied,
    };
  }

  /**
   * Every counter as Prometheus families, plus the event-time lag of each partition: how far the
   * partition's watermark is behind the wall clock (`watermarks`: partition → event time, ms).
   */
  families(watermarks: Map<number, number> = new Map(), now = Date.now()): MetricFamily[] {
    const counter = (name: string, help: string, value: number): MetricFamily => ({ name, help, type: 'counter', values: [{ value }] });
    return [
      counter('lowslow_detector_events_in_total', 'Events consumed.', this.eventsIn),
      counter('lowslow_detector_events_scored_total', 'Events added to a key window.', this.eventsScored),
      counter('lowslow_detector_events_duplicate_total', 'Events skipped because their id was seen.', this.duplicates),
      counter('lowslow_detector_events_invalid_total', 'Events that failed the AccessEvent v1 schema.', this.invalid),
      counter('lowslow_detector_events_unkeyed_total', 'Events without a key_id.', this.unkeyed),
      counter('lowslow_detector_events_late_total', 'Events later than the allowed lateness.', this.late),
      counter('lowslow_detector_windows_closed_total', 'Key windows closed and scored.', this.windowsClosed),
      counter('lowslow_detector_redeliveries_skipped_total', 'Redelivered messages skipped by the checkpoint.', this.redeliveriesSkipped),
      counter('lowslow_detector_redeliveries_applied_total', 'Messages lost on their way and redelivered, applied out of order (their counted events dropped by id).', this.redeliveriesApplied),
      counter('lowslow_detector_alerts_suppressed_total', 'Anomalous windows suppressed by a false-positive verdict.', this.alertsSuppressed),
      counter('lowslow_detector_alerts_calibrated_total', "Windows over detection.threshold that raised nothing because verdicts raised the key's or kind's threshold.", this.alertsCalibrated),
      {
        name: 'lowslow_detector_alerts_total',
        help: 'Alerts raised or raised in severity, by severity.',
        type: 'counter',
        values: Object.entries(this.alertsBySeverity).map(([severity, value]) => ({ labels: { severity }, value })),
      },
      {
        name: 'lowslow_detector_alert_status_changes_total',
        help: 'Alert status changes made through the API, by new status.',
        type: 'counter',
        values: Object.entries(this.statusChanges).map(([status, value]) => ({ labels: { status }, value })),
      },
      {
        name: 'lowslow_detector_event_lag_seconds',
        help: "Wall clock minus the partition's event-time watermark.",
        type: 'gauge',
        values: [...watermarks].filter(([, w]) => w > 0).map(([partition, w]) => ({ labels: { partition: String(partition) }, value: Math.max(0, (now - w) / 1000) })),
      },
    ];
  }
}

/** Prometheus text exposition format 0.0.4. Label values are escaped; families without values still get their HELP and TYPE. */
export function renderPrometheus(families: MetricFamily[]): string {
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
    for (const v of f.values) {
      const labels = v.labels ? Object.entries(v.labels).map(([k, x]) => `${k}="${esc(x)}"`) : [];
      lines.push(`${f.name}${labels.length > 0 ? `{${labels.join(',')}}` : ''} ${Number.isFinite(v.value) ? v.value : 0}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Recently seen event ids, bounded: two generations of at most `max` ids. An id is a duplicate
 * if either generation holds it.
 */
export class RecentIds {
  private young = new Set<string>();
  private old = new Set<string>();

  constructor(private readonly max = 200_000) {}

  /** True when the id was new (and is now remembered). */
  add(id: string): boolean {
    if (this.young.has(id) || this.old.has(id)) return false;
    if (this.young.size >= this.max) {
      this.old = this.young;
      this.young = new Set();
    }
    this.young.add(id);
    return true;
  }
}
