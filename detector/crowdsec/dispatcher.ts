/**
 * Pushes what the bridge's queue holds to the CrowdSec LAPI, off the detection path: due alerts are
 * claimed in batches and sent as one `POST /v1/alerts`; a false-positive verdict deletes the key's
 * decisions of our scenario. Outcomes are recorded as they come: delivered; retried after an
 * exponential backoff with jitter; dropped when the LAPI refuses for good (a refused batch is tried
 * alert by alert, so one bad alert does not sink the others) or when the decision would have ended
 * before it reached CrowdSec. Obligations: one attempt at a time; `stop()` aborts it and hands the
 * claimed alerts back, due now.
 */
import type { Logger } from 'pino';
import type { Delivery, Outbox } from '../webhooks/outbox.js';
import type { CrowdsecOptions } from './config.js';
import { CROWDSEC_BOX } from './enqueue.js';
import { toLapiAlert, SCENARIO, SCOPE } from './lapi-alert.js';
import type { LapiClient, LapiResult } from './lapi-client.js';
import type { CrowdsecMetrics } from './metrics.js';

/** Claimed alerts are out of other detectors' reach this long past the attempt's timeouts. */
const LEASE_MARGIN_MS = 30_000;

export interface CrowdsecDispatcherDeps {
  outbox: Outbox;
  client: LapiClient;
  options: CrowdsecOptions;
  metrics: CrowdsecMetrics;
  log: Logger;
  now?: () => number;
  random?: () => number;
}

export class CrowdsecDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private current: Promise<void> | null = null;
  private again = false;
  private abort = new AbortController();
  private lastWarn = 0;
  private readonly now: () => number;

  constructor(private readonly deps: CrowdsecDispatcherDeps) {
    this.now = deps.now ?? Date.now;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.timer = setInterval(() => this.wake(), this.deps.options.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Looks for due alerts now (called when one was queued). */
  wake(): void {
    if (!this.running) return;
    if (this.current) {
      this.again = true;
      return;
    }
    this.current = this.drain()
      .catch((err: unknown) => this.warn({ err: String(err) }, 'crowdsec bridge cannot read its queue (is Redis reachable?); retrying'))
      .finally(() => {
        this.current = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.abort.abort();
    await this.current;
  }

  /** Backoff before attempt `attempts + 1`: exponential, capped, with equal jitter. */
  backoff(attempts: number): number {
    const { retryInitialMs, retryMaxMs } = this.deps.options;
    const base = Math.min(retryMaxMs, retryInitialMs * 2 ** Math.max(0, attempts - 1));
    return base / 2 + (this.deps.random ?? Math.random)() * (base / 2);
  }

  /** Batches until nothing is due or the LAPI fails. */
  private async drain(): Promise<void> {
    const { outbox, options } = this.deps;
    while (this.running) {
      const now = this.now();
      const batch = await outbox.claim(CROWDSEC_BOX, now, now + 3 * options.timeoutMs + LEASE_MARGIN_MS, options.batchSize);
      if (batch.length === 0) return;
      const live: Delivery[] = [];
      for (const d of batch) {
        if (d.created_at + options.decisionMs <= now) {
          await outbox.deadLetter(CROWDSEC_BOX, d.id, 'its decision would have ended before it reached CrowdSec', now);
          this.deps.metrics.dropped.expired++;
        } else live.push(d);
      }
      const pushes = live.filter((d) => d.alert.status !== 'false_positive');
      const lifts = live.filter((d) => d.alert.status === 'false_positive');
      const okPush = pushes.length === 0 || (await this.push(pushes));
      let okLift = true;
      for (const d of lifts) okLift = (await this.lift(d)) && okLift;
      if (!okPush || !okLift || batch.length < options.batchSize) return;
    }
  }

  /** Sends alerts as one request; true when the LAPI took them (or refused them for good). */
  private async push(ds: Delivery[]): Promise<boolean> {
    const { client, options, metrics, outbox } = this.deps;
    const r = await client.pushAlerts(
      ds.map((d) => toLapiAlert(d.alert, options)),
      this.abort.signal,
    );
    if (r.result === 'fatal' && ds.length > 1) {
      // One bad alert refuses the whole array: try them one by one.
      let ok = true;
      for (const d of ds) ok = (await this.push([d])) && ok;
      return ok;
    }
    const done = await this.record(ds, r);
    if (r.result === 'ok') {
      metrics.pushed += ds.length;
      for (const d of ds) await outbox.delivered(CROWDSEC_BOX, d.id, this.now());
      this.deps.log.info({ alerts: ds.map((d) => d.alert.id), lapi_ids: r.value }, 'alerts pushed to crowdsec');
    }
    return done;
  }

  /** A false-positive verdict: the key's decisions of our scenario are deleted. */
  private async lift(d: Delivery): Promise<boolean> {
    const { client, metrics, outbox } = this.deps;
    const r = await client.deleteDecisions({ scope: SCOPE, value: d.alert.key_id, scenario: SCENARIO }, this.abort.signal);
    const done = await this.record([d], r);
    if (r.result === 'ok') {
      metrics.decisionsDeleted += r.value;
      await outbox.delivered(CROWDSEC_BOX, d.id, this.now());
      this.deps.log.info({ alert_id: d.alert.id, deleted: r.value }, 'crowdsec decisions lifted after a false-positive verdict');
    }
    return done;
  }

  /** Retries or drops on failure; true unless the LAPI should be left alone for now. */
  private async record(ds: Delivery[], r: LapiResult<unknown>): Promise<boolean> {
    if (r.result === 'ok') return true;
    const { outbox, metrics } = this.deps;
    const now = this.now();
    if (this.abort.signal.aborted) {
      for (const d of ds) await outbox.release(CROWDSEC_BOX, d.id, now);
      return false;
    }
    if (r.result === 'fatal') {
      for (const d of ds) await outbox.deadLetter(CROWDSEC_BOX, d.id, r.error, now);
      metrics.dropped.refused += ds.length;
      this.deps.log.warn({ alerts: ds.map((d) => d.alert.id), err: r.error }, 'crowdsec refused an alert; dropped');
      return true;
    }
    metrics.retried++;
    for (const d of ds) await outbox.retry(CROWDSEC_BOX, d.id, now + this.backoff(d.attempts + 1), r.error, now);
    this.warn({ alerts: ds.length, err: r.error }, 'cannot reach crowdsec; will retry');
    return false;
  }

  /** A LAPI outage is said once a minute, not at every attempt. */
  private warn(fields: object, msg: string): void {
    const now = Date.now();
    if (now - this.lastWarn < 60_000) return;
    this.lastWarn = now;
    this.deps.log.warn(fields, msg);
  }
}
