/** Detector counters (lowslow_detector_*). */
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
      lowslow_detector_redeliveries_skipped_total: this.redeliveriesSkipped,
    };
  }
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
