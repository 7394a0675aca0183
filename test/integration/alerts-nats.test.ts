/**
 * Alerts on NATS: lowslow.alerts.<severity>.<gateway> in the LOWSLOW_ALERTS stream. A durable
 * subscriber that was down resumes where it left off; status changes are published too; a
 * republished revision is dropped by its msgID. /metrics reads the partition consumers' lag from
 * the same server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERTS_SUBJECTS, eventPartitionFilter, eventSubject, validateAlert, type Alert } from '../../contracts/index.js';
import { ensureStreams } from '../../bin/connect.js';
import { MemoryAlertStore } from '../../detector/alerts/memory-alert-store.js';
import { NatsAlertPublisher } from '../../detector/alerts/publish.js';
import { AlertReview } from '../../detector/alerts/review.js';
import { buildApi } from '../../detector/api/app.js';
import { consumerLag } from '../../detector/api/consumer-lag.js';
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
  it('/metrics shows how far each partition consumer is behind the events stream', async () => {
    const c = testConfig().nats;
    await ensureStreams(nc, c, ['events']);
    const jsm = await jetstreamManager(nc);
    for (const p of [0, 1]) {
      await jsm.consumers.add(c.events_stream, { durable_name: `lag-test-p${p}`, filter_subject: eventPartitionFilter(p), ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All });
    }
    const js = jetstream(nc);
    for (let i = 0; i < 5; i++) await js.publish(eventSubject(0, 'nginx', 'h1'), '{}');
    await js.publish(eventSubject(1, 'nginx', 'h1'), '{}');
    // Partition 0 takes two messages and has not acknowledged them yet.
    const c0 = await js.consumers.get(c.events_stream, 'lag-test-p0');
    const held = [];
    for await (const m of await c0.fetch({ max_messages: 2, expires: 2_000 })) held.push(m);
    expect(held).toHaveLength(2);

    const api = buildApi({ alerts: new MemoryAlertStore(), metrics: consumerLag(nc, { stream: c.events_stream, durable: 'lag-test', partitions: [0, 1, 7] }) });
    const text = (await api.inject({ url: '/metrics' })).body;
    expect(text).toContain('lowslow_detector_consumer_pending{partition="0"} 3\n');
    expect(text).toContain('lowslow_detector_consumer_ack_pending{partition="0"} 2\n');
    expect(text).toContain('lowslow_detector_consumer_pending{partition="1"} 1\n');
    // A partition without a consumer is left out, not an error.
    expect(text).not.toContain('partition="7"');
    for (const m of held) m.ack();
    await nc.flush();
    const after = (await api.inject({ url: '/metrics' })).body;
    expect(after).toContain('lowslow_detector_consumer_ack_pending{partition="0"} 0\n');
    await api.close();
  });
  it('alerts and the subscriber position outlive a NATS server restart', async () => {
    // A store directory of our own: the server's files must outlive its process.
    const storeDir = mkdtempSync(join(tmpdir(), 'lowslow-alerts-js-'));
    const own = await startNatsServer({ storeDir });
    let conn = await connect({ servers: own.url });
    try {
      await ensureStreams(conn, testConfig().nats, ['alerts']);
      const jsm = await jetstreamManager(conn);
      await jsm.consumers.add('LOWSLOW_ALERTS', { durable_name: 'soc', filter_subject: ALERTS_SUBJECTS, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All });
      const publisher = new NatsAlertPublisher(conn);
      const alerts = [20, 21, 22].map((i) => makeAlert(i));
      for (const a of alerts) await publisher.publish(a);
      const c = await jetstream(conn).consumers.get('LOWSLOW_ALERTS', 'soc');
      const first = await c.next({ expires: 2_000 });
      expect(first?.json<Alert>().id).toBe(alerts[0]!.id);
      await first?.ackAck();
      await conn.close();

      await own.stop();
      const again = await startNatsServer({ port: own.port, storeDir });
      try {
        conn = await connect({ servers: again.url });
        const c2 = await jetstream(conn).consumers.get('LOWSLOW_ALERTS', 'soc');
        const rest: string[] = [];
        for await (const m of await c2.fetch({ max_messages: 2, expires: 2_000 })) {
          rest.push(m.json<Alert>().id);
          m.ack();
        }
        expect(rest).toEqual([alerts[1]!.id, alerts[2]!.id]);
      } finally {
        await conn.close().catch(() => undefined);
        await again.stop();
      }
    } finally {
      await conn.close().catch(() => undefined);
      await own.stop().catch(() => undefined);
      rmSync(storeDir, { recursive: true, force: true });
    }
  }, 30_000);
});
