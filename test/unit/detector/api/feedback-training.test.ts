/**
 * A false-positive verdict through the API feeds both suppression and the next training set: the
 * windows of the alert, held out of training when they alerted, join the partition's training
 * rows (stored with the next save); a true-positive verdict adds nothing.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { partitionOf, type AccessEvent, type Alert } from '../../../../contracts/index.js';
import { parseNginxJson } from '../../../../agent/parsers/nginx-json.js';
import { Sanitizer } from '../../../../agent/sanitize/index.js';
import { MemoryAlertStore } from '../../../../detector/alerts/memory-alert-store.js';
import { CallbackAlertPublisher } from '../../../../detector/alerts/publish.js';
import { AlertReview } from '../../../../detector/alerts/review.js';
import { MemorySuppressions } from '../../../../detector/alerts/suppressions.js';
import { buildApi } from '../../../../detector/api/app.js';
import { Detector } from '../../../../detector/pipeline.js';
import { MemoryProfileStore } from '../../../../detector/profiles/memory-store.js';
import { feed, testConfig } from '../../../support/detector-harness.js';
import { scenario } from '../../../support/log-lines.js';

const SECRET = 'feedback-training-secret-0123';
const START = Date.UTC(2026, 10, 2) / 1000;
const PARTITIONS = 2;

function events(): AccessEvent[] {
  const s = new Sanitizer({ secret: SECRET, gateway: 'nginx', host: 'h', keyParams: [], rawParams: [], truncateIp: false });
  return scenario({ start: START, days: 5, attackDay: 3 }).map((line) => {
    const r = parseNginxJson(line, { maxLineBytes: 65536, keyHeaders: ['x-api-key'], bearer: true });
    if (typeof r === 'string') throw new Error(r);
    return s.toEvent(r, line);
  });
}

async function setup() {
  const config = testConfig({ nats: { partitions: PARTITIONS } });
  const store = new MemoryProfileStore();
  const alerts = new MemoryAlertStore();
  const detector = new Detector({ config, store, alerts, publisher: new CallbackAlertPublisher(() => undefined), log: pino({ level: 'silent' }) });
  const evs = events();
  await feed(detector, evs, PARTITIONS);
  await detector.finish();
  const [alert] = alerts.all();
  if (!alert) throw new Error('the scenario raised no alert');
  const joined: number[] = [];
  const training = { falsePositive: async (a: Alert) => joined[joined.push(await detector.falsePositive(a)) - 1] as number };
  const suppressions = new MemorySuppressions();
  const app = buildApi({ alerts, review: new AlertReview({ store: alerts, suppressions, suppressMs: 3_600_000, training }) });
  const verdict = (v: string) =>
    app.inject({ method: 'POST', url: `/v1/alerts/${alert.id}/feedback`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ verdict: v, note: 'reviewed' }) });
  const rows = async () => (await store.loadPartition(partitionOf(alert.key_id, PARTITIONS))).rows.length;
  return { detector, alert, joined, suppressions, verdict, rows };
}

describe('false-positive feedback', () => {
  it("returns the alert's windows to the training set and suppresses the key", async () => {
    const { detector, alert, joined, suppressions, verdict, rows } = await setup();
    const before = await rows();
    const windows = Math.round((alert.window.end - alert.window.start) / 3_600_000);
    expect(windows).toBeGreaterThan(0);

    expect((await verdict('false_positive')).statusCode).toBe(200);
    expect(await suppressions.isSuppressed(alert.key_id, alert.kind)).toBe(true);
    // Every window of the alert that alerted joins, none of another key, and each only once.
    expect(joined).toHaveLength(1);
    expect(joined[0]).toBeGreaterThan(0);
    expect(joined[0]).toBeLessThanOrEqual(windows);
    await detector.finish();
    expect(await rows()).toBe(before + (joined[0] as number));
    expect(await detector.falsePositive(alert)).toBe(0);
  });

  it('a true-positive verdict, or a false positive given twice, adds nothing', async () => {
    const { joined, verdict } = await setup();
    expect((await verdict('true_positive')).statusCode).toBe(200);
    expect(joined).toEqual([]);
    await verdict('false_positive');
    await verdict('false_positive');
    expect(joined).toHaveLength(1);
  });
});
