/** Counters of the campaign stage (lowslow_detector_campaign_*). */
import type { MetricFamily } from '../metrics.js';

export class CampaignMetrics {
  /** Key windows taken by the stage. */
  windows = 0;
  /** Summaries that came after their period was taken (a batch applied again). */
  late = 0;
  /** Periods taken before every partition had passed them (too much waiting). */
  forced = 0;
  coverageAlerts = 0;
  campaignAlerts = 0;

  families(): MetricFamily[] {
    const counter = (name: string, help: string, value: number): MetricFamily => ({ name, help, type: 'counter', values: [{ value }] });
    return [
      counter('lowslow_detector_campaign_windows_total', 'Key windows taken by the campaign stage.', this.windows),
      counter('lowslow_detector_campaign_late_total', 'Window summaries that arrived after their period was taken.', this.late),
      counter('lowslow_detector_campaign_forced_total', 'Periods taken before every owned partition had passed them.', this.forced),
      counter('lowslow_detector_coverage_alerts_total', 'Coverage alerts raised or raised in severity.', this.coverageAlerts),
      counter('lowslow_detector_campaign_alerts_total', 'Campaign alerts raised, raised in severity or joined by members.', this.campaignAlerts),
    ];
  }
}
