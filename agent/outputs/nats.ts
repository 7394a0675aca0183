/**
 * JetStream output: publishes a batch as one message on lowslow.events.p<N>.<gateway>.<host> and
 * answers ok, retry or fatal. It never retries by itself; the pipeline does.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { eventSubject } from '../../contracts/core.js';
import type { Batch } from './batch.js';

export type SendResult = 'ok' | 'retry' | 'fatal';

export interface NatsOutputOptions {
  gateway: string;
  host: string;
  /** Publish acknowledgement timeout. @default 5000 */
  ackTimeoutMs?: number;
}

export class NatsOutput {
  private readonly js: JetStreamClient;
  private readonly timeout: number;
  lastError: string | null = null;

  constructor(
    private readonly nc: NatsConnection,
    private readonly opts: NatsOutputOptions,
  ) {
    this.js = jetstream(nc);
    this.timeout = opts.ackTimeoutMs ?? 5000;
  }

  async send(batch: Batch): Promise<SendResult> {
    try {
      await this.js.publish(eventSubject(batch.partition, this.opts.gateway, this.opts.host), batch.payload, {
        msgID: batch.msgId,
        timeout: this.timeout,
      });
      this.lastError = null;
      return 'ok';
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      // A closed connection cannot come back; anything else (timeout, no responders while the
      // server restarts) is worth another try with the same msgID.
      return this.nc.isClosed() ? 'fatal' : 'retry';
    }
  }

  /** Health check: the connection is up and the stream answers. */
  async healthy(): Promise<boolean> {
    if (this.nc.isClosed()) return false;
    try {
      await this.nc.flush();
      return true;
    } catch {
      return false;
    }
  }
}
