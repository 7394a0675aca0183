/**
 * Decides what a scored window means: nothing, a new alert, or a raised one. One active (open or
 * acknowledged) alert per key and kind: a later anomalous window extends it and raises its
 * severity instead of repeating. Every closed window's score goes to the key risk store; a key
 * and kind suppressed by a false-positive verdict raises nothing. With a calibrator, the threshold
 * is the key's and kind's as verdicts moved it (Alert v1 `threshold` says which was used).
 */
import { createHash } from 'node:crypto';
import type { Alert, Severity } from '../../contracts/index.js';
import { SEVERITIES } from '../../contracts/index.js';
import type { FeatureVector } from '../features/vector.js';
import type { OpenWindow } from '../profiles/key-state.js';
import type { DetectorMetrics } from '../metrics.js';
import { isActive, type AlertStore } from './alert-store.js';
import { explain } from './explain.js';
import type { KeyRiskStore } from './key-risk-store.js';
import type { AlertPublisher } from './publish.js';
import type { Calibrator } from './calibrator.js';
import { severityOf, type WindowScore } from './score.js';
import type { Suppressions } from './suppressions.js';

export interface DecideOptions {
  threshold: number;
  modelVersion: string;
  /** Wall clock for created_at/updated_at; event time drives everything else. */
  now?: () => number;
  /** Receives every closed window's score (GET /v1/keys). */
  risk?: KeyRiskStore;
  /** False-positive verdicts that hold back new alerts of a key and kind. */
  suppressions?: Suppressions;
  /** Counts alerts by severity and suppressed windows. */
  metrics?: DetectorMetrics;
  /** Thresholds moved by verdicts; none: `threshold` for every key. */
  calibration?: Calibrator;
}

export interface ClosedWindow {
  keyId: string;
  window: OpenWindow;
  features: FeatureVector;
  score: WindowScore;
  /** Event time that closed the window. */
  closedAt: number;
  /**
   * The population model finds the window typical although it scores over the lowest calibrated
   * threshold (below `threshold`, so the score was kept): it alerts on no key.
   */
  populationTypical?: boolean;
}

export const KIND = 'behaviour';
const rank = (s: Severity) => SEVERITIES.indexOf(s);

export function alertId(keyId: string, kind: string, windowStart: number): string {
  return createHash('sha256').update(`${keyId}|${kind}|${windowStart}`).digest('hex').slice(0, 24);
}

export class AlertDecider {
  private readonly now: () => number;

  constructor(
    private readonly store: AlertStore,
    private readonly publisher: AlertPublisher,
    private readonly opts: DecideOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** Returns the alert raised or raised in severity, or null. */
  async consider(c: ClosedWindow): Promise<Alert | null> {
    const { risk, suppressions, metrics, calibration } = this.opts;
    risk?.record(c.keyId, c.window.end, round(c.score.score));
    // Only a window over the lowest threshold labels can give is worth asking about.
    if (c.score.score < (calibration ? calibration.lowest : this.opts.threshold)) return null;
    const threshold = calibration ? await calibration.thresholdFor(c.keyId, KIND) : this.opts.threshold;
    if (c.score.score < threshold) {
      if (metrics && c.score.score >= this.opts.threshold) metrics.alertsCalibrated++;
      return null;
    }
    if (c.populationTypical) return null;
    if (suppressions && (await suppressions.isSuppressed(c.keyId, KIND))) {
      if (metrics) metrics.alertsSuppressed++;
      return null;
    }
    const severity = severityOf(c.score.score, threshold);
    const w = c.window;
    const reasons = explain(c.score, c.features, w);
    const routes = Object.entries(w.routes)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([route, count]) => ({ route, count }));
    const open = await this.store.openFor(c.keyId, KIND);
    const now = this.now();
    if (open) {
      let raised = false;
      // An analyst may ack or resolve the alert meanwhile: the change is applied to what is stored.
      const stored = await this.store.update(
        open.id,
        (cur) => {
          if (!isActive(cur)) return null;
          raised = rank(severity) > rank(cur.severity);
          cur.window.end = Math.max(cur.window.end, w.end);
          cur.evidence.requests += w.requests;
          cur.evidence.distinct_objects += Math.round(c.features.values.distinct_objects);
          if (raised) Object.assign(cur, { severity, score: round(c.score.score), reasons, event_time: c.closedAt, updated_at: now });
          return cur;
        },
        // Publish before storing: a crash in between republishes with the same msgID, never loses it.
        async (next) => {
          if (raised) await this.publisher.publish(next);
        },
      );
      if (stored && isActive(stored)) {
        if (raised && metrics) metrics.alertsBySeverity[severity]++;
        return raised ? stored : null;
      }
      // Resolved while this window was being decided: the window opens a new alert below.
    }
    const alert: Alert = {
      v: 1,
      id: alertId(c.keyId, KIND, w.start),
      created_at: now,
      updated_at: now,
      event_time: c.closedAt,
      key_id: c.keyId,
      kind: KIND,
      severity,
      score: round(c.score.score),
      threshold,
      model_version: this.opts.modelVersion,
      window: { start: w.start, end: w.end },
      reasons,
      evidence: {
        requests: w.requests,
        distinct_objects: Math.round(c.features.values.distinct_objects),
        routes,
        networks: w.networks.slice(0, 5),
        sample_event_ids: w.samples.slice(0, 5),
      },
      source: { gateway: w.gateway, hosts: w.hosts },
      status: 'open',
    };
    await this.publisher.publish(alert);
    await this.store.put(alert);
    if (metrics) metrics.alertsBySeverity[severity]++;
    return alert;
  }
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
