/**
 * Webhooks: alerts delivered to HTTP receivers a SIEM or chat accepts (generic signed JSON, Splunk
 * HEC, Slack, OCSF, ECS). Publishing only queues each alert revision in a persistent outbox per target
 * (Redis); the dispatcher delivers with retries, backoff and jitter, dead-letters what cannot be
 * delivered, and refuses private addresses unless allowed. `createWebhooks` wires the parts for
 * the detector; tests build them one by one over memory stores.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../../contracts/index.js';
import type { MetricFamily } from '../metrics.js';
import { dispatcherOptions, targetsFromConfig } from './config.js';
import { WebhookDispatcher } from './dispatcher.js';
import { WebhookEnqueuer } from './enqueue.js';
import { WebhookMetrics } from './metrics.js';
import { RedisOutbox } from './redis-outbox.js';
import { RedisTargetStore } from './redis-target-store.js';
import { WebhookTargets } from './registry.js';

export interface Webhooks {
  targets: WebhookTargets;
  outbox: RedisOutbox;
  /** The publisher that queues alerts for delivery. */
  enqueuer: WebhookEnqueuer;
  dispatcher: WebhookDispatcher;
  metrics: WebhookMetrics;
  /** Delivery counters and outbox gauges of every target, for /metrics. */
  families(): Promise<MetricFamily[]>;
}

/** Phase one is pure (throws WebhookError on a bad target); nothing runs until `dispatcher.start()`. */
export function createWebhooks(o: { config: Config['webhooks']; redis: Redis; prefix: string; log: Logger; env?: NodeJS.ProcessEnv }): Webhooks {
  const options = dispatcherOptions(o.config);
  const outbox = new RedisOutbox(o.redis, o.prefix);
  const targets = new WebhookTargets(targetsFromConfig(o.config, o.env), new RedisTargetStore(o.redis, o.prefix), outbox, { allowPrivate: options.allowPrivate });
  const metrics = new WebhookMetrics();
  const dispatcher = new WebhookDispatcher({ targets, outbox, options, metrics, log: o.log });
  const enqueuer = new WebhookEnqueuer(targets, outbox, { onQueued: () => dispatcher.wake() });
  const families = async () => {
    const all = await targets.list();
    const statuses = await Promise.all(all.map(async (t) => [t.name, await outbox.status(t.name)] as const));
    return metrics.families(new Map(statuses));
  };
  return { targets, outbox, enqueuer, dispatcher, metrics, families };
}
