/**
 * Alert publishers. NATS: JetStream publish on lowslow.alerts.<severity>.<gateway>, kept in
 * LOWSLOW_ALERTS; the msgID (alert id + revision) makes a republish after a crash a no-op.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { alertSubject, type Alert } from '../../contracts/index.js';

export interface AlertPublisher {
  /** Resolves once the alert is durably published; rejects on failure (the caller retries). */
  publish(alert: Alert): Promise<void>;
}

export class NatsAlertPublisher implements AlertPublisher {
  private readonly js: JetStreamClient;

  constructor(nc: NatsConnection) {
    this.js = jetstream(nc);
  }

  async publish(alert: Alert): Promise<void> {
    await this.js.publish(alertSubject(alert.severity, alert.source.gateway), JSON.stringify(alert), {
      msgID: `${alert.id}:${alert.severity}:${alert.status}:${alert.window.end}`,
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
