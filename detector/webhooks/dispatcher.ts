/**
 * Delivers what the outbox holds, off the detection path. Each target has its own `concurrency`
 * slots (a slow receiver holds up only itself): due deliveries are claimed into free slots and
 * each outcome is recorded as it comes: delivered; retried after an exponential backoff with jitter; or
 * dead-lettered when the receiver refuses for good or `dead_letter_after_seconds` have passed.
 * Obligations: `stop()` aborts attempts in flight and hands them back due now, so the next
 * dispatcher (after a restart) sends them at once.
 */
import type { Logger } from 'pino';
import type { DispatcherOptions } from './config.js';
import { FORMATS } from './formats/index.js';
import type { WebhookMetrics } from './metrics.js';
import type { Delivery, Outbox } from './outbox.js';
import type { WebhookTargets } from './registry.js';
import { send as httpSend } from './send.js';
import type { WebhookTarget } from './target.js';

/** A claimed delivery is out of other dispatchers' reach this long past the attempt's timeout. */
const LEASE_MARGIN_MS = 30_000;

export interface DispatcherDeps {
  targets: WebhookTargets;
  outbox: Outbox;
  options: DispatcherOptions;
  metrics: WebhookMetrics;
  log: Logger;
  now?: () => number;
  random?: () => number;
  send?: typeof httpSend;
}

export class WebhookDispatcher {
  private timer: NodeJS.Timeout | null = null;
  /** Deliveries in flight per target. */
  private readonly active = new Map<string, number>();
  /** Targets whose claim is under way (one at a time per target). */
  private readonly claiming = new Set<string>();
  private readonly inflight = new Set<Promise<void>>();
  private abort = new AbortController();
  private running = false;
  private lastWarn = 0;
  private readonly now: () => number;

  constructor(private readonly deps: DispatcherDeps) {
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

  /** Looks for due deliveries now (called when something was queued). */
  wake(): void {
    if (!this.running) return;
    const tick: Promise<void> = this.tick()
      .catch((err: unknown) => this.warnRarely({ err: String(err) }, 'webhook dispatcher cannot read targets or outbox (is Redis reachable? redis.url); retrying'))
      .finally(() => this.inflight.delete(tick));
    this.inflight.add(tick);
  }

  /** The poll runs every few hundred ms: an outage is said once a minute, not at every poll. */
  private warnRarely(fields: object, msg: string): void {
    const now = Date.now();
    if (now - this.lastWarn < 60_000) return;
    this.lastWarn = now;
    this.deps.log.warn(fields, msg);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.abort.abort();
    await Promise.all([...this.inflight]);
  }

  /** Backoff before attempt `attempts + 1`: exponential, capped, with equal jitter. */
  backoff(attempts: number): number {
    const { retryInitialMs, retryMaxMs } = this.deps.options;
    const base = Math.min(retryMaxMs, retryInitialMs * 2 ** Math.max(0, attempts - 1));
    return base / 2 + (this.deps.random ?? Math.random)() * (base / 2);
  }

  private async tick(): Promise<void> {
    const { outbox, options } = this.deps;
    for (const t of await this.deps.targets.list()) {
      if (!this.running) return;
      const free = options.concurrency - (this.active.get(t.name) ?? 0);
      if (free <= 0 || this.claiming.has(t.name)) continue;
      this.claiming.add(t.name);
      let batch: Delivery[];
      try {
        const now = this.now();
        batch = await outbox.claim(t.name, now, now + options.timeoutMs + LEASE_MARGIN_MS, free);
      } finally {
        this.claiming.delete(t.name);
      }
      // Stopped while claiming: hand the deliveries straight back.
      if (!this.running) {
        for (const d of batch) await outbox.release(t.name, d.id, this.now());
        return;
      }
      for (const d of batch) this.launch(t, d);
    }
  }

  /** One delivery in flight; when it ends, the target may have more due. */
  private launch(t: WebhookTarget, d: Delivery): void {
    this.active.set(t.name, (this.active.get(t.name) ?? 0) + 1);
    const job: Promise<void> = this.deliver(t, d)
      .catch((err: unknown) => this.deps.log.warn({ target: t.name, delivery: d.id, err: String(err) }, 'cannot record a webhook delivery outcome (outbox unreachable); it will be retried'))
      .finally(() => {
        this.active.set(t.name, (this.active.get(t.name) ?? 1) - 1);
        this.inflight.delete(job);
        this.wake();
      });
    this.inflight.add(job);
  }

  private async deliver(t: WebhookTarget, d: Delivery): Promise<void> {
    const { outbox, options, metrics, log } = this.deps;
    const req = FORMATS[t.format](d.alert, t, this.now());
    req.headers['x-lowslow-delivery'] = d.id;
    const r = await (this.deps.send ?? httpSend)(t.url, req, { timeoutMs: options.timeoutMs, allowPrivate: options.allowPrivate, signal: this.abort.signal });
    const now = this.now();
    if (r.result === 'ok') {
      await outbox.delivered(t.name, d.id, now);
      metrics.count(t.name, 'delivered');
      return;
    }
    if (this.abort.signal.aborted) {
      await outbox.release(t.name, d.id, now);
      return;
    }
    const attempts = d.attempts + 1;
    if (r.result === 'fatal' || now - d.created_at >= options.deadLetterAfterMs) {
      await outbox.deadLetter(t.name, d.id, r.error, now);
      metrics.count(t.name, 'dead_lettered');
      log.warn({ target: t.name, delivery: d.id, attempts, err: r.error }, 'webhook delivery dead-lettered');
      return;
    }
    await outbox.retry(t.name, d.id, now + this.backoff(attempts), r.error, now);
    metrics.count(t.name, 'retried');
    log.info({ target: t.name, delivery: d.id, attempts, err: r.error }, 'webhook delivery failed; will retry');
  }
}
