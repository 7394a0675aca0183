/**
 * Alerts on NATS: lowslow.alerts.<severity>.<gateway> in the LOWSLOW_ALERTS stream. A durable
 * subscriber that was down resumes where it left off; status changes are published too; a
 * republished revision is dropped by its msgID.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERTS_SUBJECTS, validateAlert, type Alert } from '../../contracts/index.js';
import { ensureStreams } from '../../bin/connect.js';
import { MemoryAlertStore } from '../../detector/alerts/memory-alert-store.js';
import { NatsAlertPublisher } from '../../detector/alerts/publish.js';
import { AlertReview } from '../../detector/alerts/review.js';
import { testConfig } from '../support/detector-harness.js';
import { makeAlert } from '../support/alerts.js';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';

describe('alerts on NATS JetStream', () => {
  let server: NatsServer;
  let nc: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    await ensureStreams(nc, testConfig().nats, ['alerts']);
  });

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  async function durable(name: string, filter: string) {
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.add('LOWSLOW_ALERTS', { durable_name: name, filter_subject: filter, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All });
  }

  /** Reads what the durable consumer has not acknowledged yet, over its own connection. */
  async function readAll(name: string): Promise<Array<{ subject: string; alert: Alert }>> {
    const conn = await connect({ servers: server.url });
    try {
      const c = await jetstream(conn).consumers.get('LOWSLOW_ALERTS', name);
      const pending = (await c.info()).num_pending;
      const out: Array<{ subject: string; alert: Alert }> = [];
      while (out.length < pending) {
        const batch = await c.fetch({ max_messages: pending - out.length, expires: 2_000 });
        const before = out.length;
        for await (const m of batch) {
          out.push({ subject: m.subject, alert: m.json<Alert>() });
          m.ack();
        }
        if (out.length === before) break;
      }
      return out;
    } finally {
      await conn.drain();
    }
  }

  it('a subscriber that was down catches up from where it left, status changes included', async () => {
    await durable('siem', ALERTS_SUBJECTS);
    const publisher = new NatsAlertPublisher(nc);
    const store = new MemoryAlertStore();
    const review = new AlertReview({ store, publisher });
    const first = [0, 1, 2].map((i) => makeAlert(i));
    for (const a of first) {
      await store.put(a);
      await publisher.publish(a);
    }
    const seen = await readAll('siem');
    expect(seen.map((s) => s.alert.id)).toEqual(first.map((a) => a.id));
    for (const s of seen) {
      expect(validateAlert(s.alert)).toBe(true);
      expect(s.subject).toBe(`lowslow.alerts.${s.alert.severity}.${s.alert.source.gateway}`);
    }

    // The subscriber is down: two new alerts and two status changes arrive meanwhile.
    const later = [3, 4].map((i) => makeAlert(i));
    for (const a of later) {
      await store.put(a);
      await publisher.publish(a);
    }
    await review.apply(first[0]!.id, { kind: 'ack' });
    await review.apply(later[1]!.id, { kind: 'feedback', verdict: 'false_positive', note: 'load test' });

    const caughtUp = await readAll('siem');
    expect(caughtUp.map((s) => [s.alert.id, s.alert.status])).toEqual([
      [later[0]!.id, 'open'],
      [later[1]!.id, 'open'],
      [first[0]!.id, 'acknowledged'],
      [later[1]!.id, 'false_positive'],
    ]);
    expect(caughtUp[3]?.alert.feedback).toMatchObject({ verdict: 'false_positive', note: 'load test' });
    expect(caughtUp[2]?.subject).toBe(`lowslow.alerts.${first[0]!.severity}.envoy`);
    expect(await readAll('siem')).toEqual([]);
  });

  it('subjects let a subscriber pick severities and gateways', async () => {
    await durable('critical-only', 'lowslow.alerts.critical.>');
    await durable('envoy-only', 'lowslow.alerts.*.envoy');
    const all = (await readAll('critical-only')).map((s) => s.alert);
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((a) => a.severity === 'critical')).toBe(true);
    const envoy = (await readAll('envoy-only')).map((s) => s.alert);
    expect(envoy.length).toBeGreaterThan(0);
    expect(envoy.every((a) => a.source.gateway === 'envoy')).toBe(true);
  });

  it('a republished revision is dropped by its msgID; a new revision is kept', async () => {
    const jsm = await jetstreamManager(nc);
    const publisher = new NatsAlertPublisher(nc);
    const before = (await jsm.streams.info('LOWSLOW_ALERTS')).state.messages;
    const a = makeAlert(9);
    await publisher.publish(a);
    await publisher.publish(structuredClone(a));
    expect((await jsm.streams.info('LOWSLOW_ALERTS')).state.messages).toBe(before + 1);
    await publisher.publish({ ...a, status: 'resolved', updated_at: 2 });
    expect((await jsm.streams.info('LOWSLOW_ALERTS')).state.messages).toBe(before + 2);
  });
});
