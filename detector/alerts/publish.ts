/**
 * Alert publishers. NATS: JetStream publish on lowslow.alerts.<severity>.<gateway>, kept in
 * LOWSLOW_ALERTS; the msgID (alert id + revision) makes a republish after a crash a no-op. Status
 * changes (acknowledged, resolved, false positive) are new revisions and are published too.
 * The fan-out publisher hands one alert to several publishers (NATS, then the webhook outbox).
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { alertSubject, type Alert } from '../../contracts/index.js';

export interface AlertPublisher {
  /** Resolves once the alert is durably published; rejects on failure (the caller retries). */
  publish(alert: Alert): Promise<void>;
}

/** Names one published state of an alert: a change that is published gets a new revision. */
export function alertRevision(alert: Alert): string {
  const verdict = alert.feedback ? `:${alert.feedback.verdict}` : '';
  return `${alert.id}:${alert.severity}:${alert.status}:${alert.window.end}${verdict}`;
}

export class NatsAlertPublisher implements AlertPublisher {
  private readonly js: JetStreamClient;

  constructor(nc: NatsConnection) {
    this.js = jetstream(nc);
  }

  async publish(alert: Alert): Promise<void> {
    await this.js.publish(alertSubject(alert.severity, alert.source.gateway), JSON.stringify(alert), {
      msgID: alertRevision(alert),
      timeout: 5_000,
    });
  }
}

/** Replay and tests: alerts go to a callback in order. */
export class CallbackAlertPublisher implements AlertPublisher {
  constructor(private readonly onAlert: (alert: Alert) => void | Promise<void>) {}

  async publish(alert: Alert): Promise<void> {
    await this.onAlert(alert);
  }
}

/**
 * Hands each alert to every publisher in order; the first failure rejects and the caller retries
 * the whole, which is safe because each publisher is idempotent per revision.
 */
export class FanoutPublisher implements AlertPublisher {
  constructor(private readonly publishers: AlertPublisher[]) {}

  async publish(alert: Alert): Promise<void> {
    for (const p of this.publishers) await p.publish(alert);
  }
}
