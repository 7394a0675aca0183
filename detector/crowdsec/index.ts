/**
 * The CrowdSec bridge: lowslow alerts become CrowdSec alerts with a decision of scope `apikey`
 * (value: the key_id) in a CrowdSec Local API, so bouncers that know the scope can refuse the key.
 * Publishing only queues (in the webhook outbox, box `crowdsec:lapi`, so a restart loses nothing);
 * the dispatcher logs in as a CrowdSec machine and pushes with retries; a false-positive verdict
 * lifts the key's decisions. `createCrowdsec` answers null when `detector.crowdsec.enabled` is off.
 */
import type { Logger } from 'pino';
import type { Config } from '../../contracts/index.js';
import type { MetricFamily } from '../metrics.js';
import type { Outbox } from '../webhooks/outbox.js';
import { PRODUCT } from '../encode/product.js';
import { crowdsecOptions, type CrowdsecOptions } from './config.js';
import { CrowdsecDispatcher } from './dispatcher.js';
import { CROWDSEC_BOX, CrowdsecEnqueuer } from './enqueue.js';
import { SCENARIO } from './lapi-alert.js';
import { LapiClient } from './lapi-client.js';
import { CrowdsecMetrics } from './metrics.js';

export interface Crowdsec {
  options: CrowdsecOptions;
  /** The publisher that queues alerts for the LAPI. */
  enqueuer: CrowdsecEnqueuer;
  dispatcher: CrowdsecDispatcher;
  metrics: CrowdsecMetrics;
  /** Counters and the queue gauge, for /metrics. */
  families(): Promise<MetricFamily[]>;
}

/** Phase one is pure (throws CrowdsecError on a bad config); nothing runs until `dispatcher.start()`. */
export function createCrowdsec(o: { config: Config['detector']['crowdsec']; outbox: Outbox; log: Logger; now?: () => number; random?: () => number }): Crowdsec | null {
  const options = crowdsecOptions(o.config);
  if (options === null) return null;
  const metrics = new CrowdsecMetrics();
  const client = new LapiClient({
    url: options.url,
    machineId: options.machineId,
    password: options.password,
    scenarios: [SCENARIO],
    timeoutMs: options.timeoutMs,
    userAgent: `lowslow-crowdsec/${PRODUCT.version}`,
    ...(o.now ? { now: o.now } : {}),
    onLogin: (outcome) => metrics.logins[outcome]++,
  });
  const log = o.log.child({ component: 'crowdsec' });
  const dispatcher = new CrowdsecDispatcher({ outbox: o.outbox, client, options, metrics, log, ...(o.now ? { now: o.now } : {}), ...(o.random ? { random: o.random } : {}) });
  const enqueuer = new CrowdsecEnqueuer({ outbox: o.outbox, options, metrics, log, onQueued: () => dispatcher.wake(), ...(o.now ? { now: o.now } : {}) });
  const families = async () => {
    let pending: number | null = null;
    try {
      pending = (await o.outbox.status(CROWDSEC_BOX)).pending;
    } catch {
      // The queue gauge is left out while Redis is unreachable; the counters still answer.
    }
    return metrics.families(pending);
  };
  return { options, enqueuer, dispatcher, metrics, families };
}
