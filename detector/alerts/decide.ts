/**
 * Decides what a scored window means: nothing, a new alert, or a raised one. One open alert per
 * key and kind: a later anomalous window extends it and raises its severity instead of repeating.
 */
import { createHash } from 'node:crypto';
import type { Alert, Severity } from '../../contracts/index.js';
import { SEVERITIES } from '../../contracts/index.js';
import type { FeatureVector } from '../features/vector.js';
import type { OpenWindow } from '../profiles/key-state.js';
import type { AlertStore } from './alert-store.js';
import { explain } from './explain.js';
import type { AlertPublisher } from './publish.js';
import { severityOf, type WindowScore } from './score.js';

export interface DecideOptions {
  threshold: number;
  modelVersion: string;
  /** Wall clock for created_at/updated_at; event time drives everything else. */
  now?: () => number;
}

export interface ClosedWindow {
  keyId: string;
  window: OpenWindow;
  features: FeatureVector;
  score: WindowScore;
  /** Event time that closed the window. */
  closedAt: number;
}

const KIND = 'behaviour';
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
    const { threshold } = this.opts;
    if (c.score.score < threshold) return null;
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
      const raised = rank(severity) > rank(open.severity);
      open.window.end = Math.max(open.window.end, w.end);
      open.evidence.requests += w.requests;
      open.evidence.distinct_objects += Math.round(c.features.values.distinct_objects);
      if (raised) {
        Object.assign(open, { severity, score: round(c.score.score), reasons, event_time: c.closedAt, updated_at: now });
      }
      // Publish before storing: a crash in between republishes with the same msgID, never loses it.
      if (raised) await this.publisher.publish(open);
      await this.store.put(open);
      return raised ? open : null;
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
    return alert;
  }
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
