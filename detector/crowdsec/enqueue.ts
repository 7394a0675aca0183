/**
 * The CrowdSec side of publishing: an open alert at or above `min_severity` is queued for the LAPI,
 * and a false-positive verdict on such an alert queues the lifting of the key's decisions. Nothing here waits on the
 * LAPI, and nothing here fails publishing: a full queue drops the alert (counted, warned about once
 * a minute), as does a queue that cannot be reached.
 */
import type { Logger } from 'pino';
import { SEVERITIES, type Alert } from '../../contracts/index.js';
import type { AlertPublisher } from '../alerts/publish.js';
import { deliveryId, type Outbox } from '../webhooks/outbox.js';
import type { CrowdsecOptions } from './config.js';
import type { CrowdsecMetrics } from './metrics.js';

/** The outbox box of the bridge; `:` cannot appear in a webhook target name, so the two never meet. */
export const CROWDSEC_BOX = 'crowdsec:lapi';

/** Whether a revision means something to CrowdSec: a decision to add, or one to lift. */
export function wanted(a: Alert, minSeverity: CrowdsecOptions['minSeverity']): boolean {
  // Below min_severity nothing was pushed, so a verdict has nothing to lift either.
  if (SEVERITIES.indexOf(a.severity) < SEVERITIES.indexOf(minSeverity)) return false;
  return a.status === 'open' || a.status === 'false_positive';
}

export class CrowdsecEnqueuer implements AlertPublisher {
  private lastWarn = 0;

  constructor(
    private readonly deps: { outbox: Outbox; options: CrowdsecOptions; metrics: CrowdsecMetrics; log: Logger; onQueued?: () => void; now?: () => number },
  ) {}

  async publish(alert: Alert): Promise<void> {
    const { outbox, options, metrics } = this.deps;
    if (!wanted(alert, options.minSeverity)) return;
    try {
      if ((await outbox.status(CROWDSEC_BOX)).pending >= options.queueMax) {
        metrics.dropped.queue_full++;
        this.warn({ alert_id: alert.id, queue_max: options.queueMax }, 'crowdsec queue is full (detector.crowdsec.queue_max): alert dropped; is the LAPI reachable?');
        return;
      }
      if (await outbox.enqueue(CROWDSEC_BOX, deliveryId(alert), alert, (this.deps.now ?? Date.now)())) {
        metrics.queued++;
        this.deps.onQueued?.();
      }
    } catch (err) {
      metrics.dropped.queue_error++;
      this.warn({ alert_id: alert.id, err: String(err) }, 'cannot queue an alert for crowdsec (is Redis reachable?): alert dropped');
    }
  }

  private warn(fields: object, msg: string): void {
    const now = Date.now();
    if (now - this.lastWarn < 60_000) return;
    this.lastWarn = now;
    this.deps.log.warn(fields, msg);
  }
}
