/**
 * A false-positive verdict given on another detector's API reaches the detector that owns the
 * key through the alert subjects (real nats-server), and returns the alert's windows to its
 * training set; a detector that does not own the key leaves it alone.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertSubject, partitionOf } from '../../contracts/index.js';
import { followVerdicts } from '../../detector/consume/verdicts.js';
import { feed, harness } from '../support/detector-harness.js';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';
import { sampleEvents } from '../support/sample-events.js';

const PARTITIONS = 8;
const ALL = [...Array(PARTITIONS).keys()];

describe('verdicts over NATS', () => {
  let nats: NatsServer;
  let nc: NatsConnection;

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
  });

  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
  });

  it('returns a false positive raised elsewhere to the owner’s training, once, and ignores what it does not own', async () => {
    const owner = harness();
    await owner.detector.init(ALL);
    await feed(owner.detector, sampleEvents('verdict-secret-0123456789'), PARTITIONS);
    await owner.detector.finish();
    const alert = owner.published.at(-1)!;
    expect(alert).toBeDefined();
    const home = partitionOf(alert.key_id, PARTITIONS);

    const log = pino({ level: 'silent' });
    const fp = { ...alert, status: 'false_positive' as const };
    const subject = alertSubject(alert.severity, alert.source.gateway);
    const settle = () => new Promise((r) => setTimeout(r, 300));

    // A detector that does not own the key's partition leaves its windows where they are.
    const elsewhere = followVerdicts({ nc, detector: owner.detector, partitions: ALL.filter((p) => p !== home), partitionCount: PARTITIONS, log });
    nc.publish(subject, JSON.stringify(fp));
    await nc.flush();
    await settle();
    await elsewhere.stop();
    expect(elsewhere.returned).toBe(0);

    // The owner: the open alert itself, something that is not an alert, and the verdict, twice.
    const following = followVerdicts({ nc, detector: owner.detector, partitions: ALL, partitionCount: PARTITIONS, log });
    nc.publish(subject, JSON.stringify(alert));
    nc.publish(subject, 'not json');
    nc.publish(subject, JSON.stringify(fp));
    nc.publish(subject, JSON.stringify(fp));
    await nc.flush();
    for (let i = 0; i < 100 && following.returned === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await settle();
    await following.stop();
    expect(following.returned).toBeGreaterThan(0);
    expect(following.invalid).toBe(1);
    // Both copies together returned the windows once: nothing is left.
    expect(await owner.detector.falsePositive(fp)).toBe(0);
  }, 60_000);
});
