/**
 * HMAC secret rotation with `lowslow rekey` against a real redis-server: profiles learned under
 * the old secret move to the new key_ids, and detection carries on after the switch as if the
 * secret had never changed.
 */
import { PassThrough } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rekeyApply, rekeyMap } from '../../bin/rekey.js';
import { partitionOf, type Alert } from '../../contracts/index.js';
import { RedisProfileStore } from '../../detector/profiles/redis-store.js';
import { feed, harness } from '../support/detector-harness.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { runCli } from '../support/cli.js';
import { sampleEvents, sampleTruth } from '../support/sample-events.js';

const OLD = 'rekey-old-secret-0123456789';
const NEW = 'rekey-new-secret-9876543210';
const PARTITIONS = 8;
// Day 3 of the sample, before any planted attack begins.
const CUT = Date.UTC(2026, 10, 4);

describe('lowslow rekey', () => {
  let server: RedisServer;
  let redis: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
  });

  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  async function map(rawKeys: string[]): Promise<string[]> {
    const input = new PassThrough();
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    input.end(`${rawKeys.join('\n')}\n\n${rawKeys[0]}\n`);
    const summary = await rekeyMap(input, out, OLD, NEW);
    expect(summary).toEqual({ keys: rawKeys.length, skipped: 1 });
    for (const raw of rawKeys) expect(text, 'no raw key in the map').not.toContain(raw);
    return text.trimEnd().split('\n');
  }

  /** Alerts by raw key: severity and the features named, which is what a rotation must not change. */
  function byRawKey(alerts: Alert[], truth: Map<string, { key: string }>) {
    return alerts
      .map((a) => ({ key: truth.get(a.key_id)?.key, severity: a.severity, window: a.window, reasons: a.reasons.map((r) => r.feature) }))
      .sort((a, b) => `${a.key}${a.window.start}`.localeCompare(`${b.key}${b.window.start}`));
  }

  it('moves every profile to its new key_id, and detection after the switch raises the alerts it would have raised', async () => {
    const oldEvents = sampleEvents(OLD);
    const newEvents = sampleEvents(NEW);
    const cut = oldEvents.findIndex((e) => e.ts >= CUT);
    const oldTruth = sampleTruth(OLD);
    const newTruth = sampleTruth(NEW);
    const rawKeys = [...oldTruth.values()].map((k) => k.key);

    // Without a rotation: the whole week under the old secret.
    const reference = harness();
    await reference.detector.init([...Array(PARTITIONS).keys()]);
    await feed(reference.detector, oldEvents, PARTITIONS);
    await reference.detector.finish();

    // With one: learn until the cut under the old secret, in Redis.
    const store = new RedisProfileStore(redis, 'rot');
    const before = harness({ store });
    await before.detector.init([...Array(PARTITIONS).keys()]);
    await feed(before.detector, oldEvents.slice(0, cut), PARTITIONS);
    const learned = await store.load([...oldTruth.keys()]);
    expect(learned.size).toBeGreaterThan(30);

    const lines = await map(rawKeys);
    const summary = await rekeyApply([...lines, 'not a pair', ''], store, PARTITIONS);
    expect(summary).toEqual({ moved: learned.size, absent: rawKeys.length - learned.size, conflicts: 0, bad: 1 });
    // Each state is under its new key_id, as it was, and the old one is gone.
    for (const [oldId, state] of learned) {
      const raw = oldTruth.get(oldId)!.key;
      const newId = [...newTruth].find(([, k]) => k.key === raw)![0];
      const moved = (await store.load([newId, oldId])).get(newId);
      expect(moved).toEqual({ ...state, key_id: newId });
      expect((await store.load([oldId])).size).toBe(0);
      if (state.window) expect(await store.openKeys(partitionOf(newId, PARTITIONS))).toContain(newId);
    }

    // The rest of the week under the new secret, by a detector started afresh on the same Redis.
    const after = harness({ store });
    await after.detector.init([...Array(PARTITIONS).keys()]);
    await feed(after.detector, newEvents.slice(cut), PARTITIONS, 256, 1_000_000);
    await after.detector.finish();
    const expected = byRawKey(reference.published, oldTruth);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(byRawKey([...before.published, ...after.published], { get: (id: string) => oldTruth.get(id) ?? newTruth.get(id) } as Map<string, { key: string }>)).toEqual(expected);
  }, 120_000);

  it('refuses to map without both secrets, and names the usage', async () => {
    const p = runCli(['rekey', 'map'], { LOWSLOW_KEY_SECRET: NEW });
    expect(await p.exited).toBe(2);
    expect(p.stderr()).toContain('LOWSLOW_OLD_KEY_SECRET');
    expect(p.stderr()).not.toContain(NEW);
    const q = runCli(['rekey', 'sideways']);
    expect(await q.exited).toBe(2);
    expect(q.stderr()).toContain('usage: lowslow rekey map');
  });
});
