/** Webhook delivery counters per target (lowslow_webhook_*), and the outbox gauges beside them. */
import type { MetricFamily } from '../metrics.js';
import type { OutboxStatus } from './outbox.js';

type Outcome = 'delivered' | 'retried' | 'dead_lettered';

export class WebhookMetrics {
  private readonly counts = new Map<string, Record<Outcome, number>>();

  count(target: string, outcome: Outcome): void {
    let c = this.counts.get(target);
    if (!c) this.counts.set(target, (c = { delivered: 0, retried: 0, dead_lettered: 0 }));
    c[outcome]++;
  }

  get(target: string, outcome: Outcome): number {
    return this.counts.get(target)?.[outcome] ?? 0;
  }

  /** `statuses`: each target's outbox status, read at scrape time. */
  families(statuses: Map<string, OutboxStatus>): MetricFamily[] {
    const values = [...this.counts].flatMap(([target, c]) => (Object.keys(c) as Outcome[]).map((outcome) => ({ labels: { target, outcome }, value: c[outcome] })));
    return [
      { name: 'lowslow_webhook_deliveries_total', help: 'Delivery attempts by this process, by target and outcome.', type: 'counter', values },
      {
        name: 'lowslow_webhook_pending',
        help: 'Deliveries waiting in the outbox, by target.',
        type: 'gauge',
        values: [...statuses].map(([target, s]) => ({ labels: { target }, value: s.pending })),
      },
      {
        name: 'lowslow_webhook_dead_letters',
        help: 'Dead letters kept, by target.',
        type: 'gauge',
        values: [...statuses].map(([target, s]) => ({ labels: { target }, value: s.dead })),
      },
    ];
  }
}
