/**
 * The webhook side of publishing: queues the alert revision in the outbox of every target that
 * wants it, and nothing else. A slow or dead receiver therefore never slows detection: delivery
 * is the dispatcher's job.
 */
import type { Alert } from '../../contracts/index.js';
import type { AlertPublisher } from '../alerts/publish.js';
import { deliveryId, type Outbox } from './outbox.js';
import type { WebhookTargets } from './registry.js';
import { accepts } from './target.js';

export class WebhookEnqueuer implements AlertPublisher {
  constructor(
    private readonly targets: WebhookTargets,
    private readonly outbox: Outbox,
    private readonly opts: { now?: () => number; onQueued?: () => void } = {},
  ) {}

  async publish(alert: Alert): Promise<void> {
    const id = deliveryId(alert);
    const now = (this.opts.now ?? Date.now)();
    let queued = false;
    for (const t of await this.targets.list()) {
      if (accepts(t, alert) && (await this.outbox.enqueue(t.name, id, alert, now))) queued = true;
    }
    if (queued) this.opts.onQueued?.();
  }
}
