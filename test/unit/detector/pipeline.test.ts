import { describe, expect, it } from 'vitest';
import type { AccessEvent } from '../../../contracts/index.js';
import { parseNginxJson } from '../../../agent/parsers/nginx-json.js';
import { computeKeyId } from '../../../agent/sanitize/key-id.js';
import { Sanitizer } from '../../../agent/sanitize/index.js';
import { MemoryAlertStore } from '../../../detector/alerts/memory-alert-store.js';
import { MemoryProfileStore } from '../../../detector/profiles/memory-store.js';
import { comparable, feed, harness, testConfig } from '../../support/detector-harness.js';
import { HONEST_KEYS, scenario } from '../../support/log-lines.js';

const PARSE = { maxLineBytes: 65536, keyHeaders: ['x-api-key'], bearer: true };

const SECRET = 'pipeline-secret-0123456789';
const START = Date.UTC(2026, 10, 2) / 1000;
const SCRAPER = computeKeyId(SECRET, HONEST_KEYS[0] as string);

function events(days = 5, attackDay = 3): AccessEvent[] {
  const s = new Sanitizer({ secret: SECRET, gateway: 'nginx', host: 'h', keyParams: [], rawParams: [], truncateIp: false });
  return scenario({ start: START, days, attackDay }).map((line) => {
    const r = parseNginxJson(line, PARSE);
    if (typeof r === 'string') throw new Error(r);
    return s.toEvent(r, line);
  });
}

describe('detector pipeline', () => {
  it('alerts once on the key that starts enumerating, in the first hour of it, and never on honest keys', async () => {
    const { detector, alerts, published } = harness();
    await feed(detector, events(), 4);
    await detector.finish();
    const all = (alerts as MemoryAlertStore).all();
    expect(all.map((a) => a.key_id)).toEqual([SCRAPER]);
    const a = all[0];
    expect(a?.window.start).toBe((START + 3 * 86_400) * 1000);
    expect(a?.reasons[0]?.feature).toBe('sequential_share');
    expect(a?.reasons.map((r) => r.text).join(' ')).toMatch(/walked object ids in sequence \(\/v1\/customers\/\{int\}\)/);
    // Raised in severity rather than repeated: every publication is the same alert, rising.
    expect(new Set(published.map((p) => p.id)).size).toBe(1);
    const ranks = published.map((p) => ['low', 'medium', 'high', 'critical'].indexOf(p.severity));
    expect([...ranks].sort()).toEqual(ranks);
    expect(new Set(ranks).size).toBe(ranks.length);
  });

  it('stays quiet while learning', async () => {
    const { detector, alerts } = harness({ config: testConfig({ detection: { learning_hours: 24 * 30 } }) });
    await feed(detector, events(), 4);
    await detector.finish();
    expect((alerts as MemoryAlertStore).all()).toEqual([]);
    expect(detector.metrics.windowsClosed).toBeGreaterThan(0);
  });

  it('never counts an event id twice', async () => {
    const evs = events(3, 9);
    const once = harness();
    await feed(once.detector, evs, 2);
    const twice = harness();
    await feed(twice.detector, [...evs.slice(0, 500), ...evs.slice(0, 500), ...evs.slice(500)], 2);
    expect(twice.detector.metrics.duplicates).toBe(500);
    expect(twice.detector.metrics.eventsScored).toBe(once.detector.metrics.eventsScored);
    expect(twice.detector.metrics.windowsClosed).toBe(once.detector.metrics.windowsClosed);
  });

  it('skips a message at or below the checkpoint it started from, after a restart', async () => {
    const evs = events(1, 9).slice(0, 100);
    const store = new MemoryProfileStore();
    const first = harness({ store });
    await first.detector.ingest(0, evs.slice(0, 50), 7);
    const second = harness({ store });
    await second.detector.init([0]);
    await second.detector.ingest(0, evs.slice(0, 50), 7);
    expect(second.detector.metrics.redeliveriesSkipped).toBe(1);
    expect(second.detector.metrics.eventsIn).toBe(0);
    await second.detector.ingest(0, evs.slice(50), 8);
    expect(second.detector.metrics.eventsIn).toBe(50);
  });

  it('applies a message lost on its way and redelivered after later ones, counting no event twice', async () => {
    const evs = events(1, 9).slice(0, 150);
    const { detector } = harness();
    await detector.ingest(0, evs.slice(0, 50), 5);
    // Message 7 was lost in transit; 9 arrived, then 7 came back after ack_wait.
    await detector.ingest(0, evs.slice(100), 9);
    await detector.ingest(0, evs.slice(50, 100), 7);
    expect(detector.metrics.redeliveriesApplied).toBe(1);
    expect(detector.metrics.eventsIn).toBe(150);
    expect(detector.metrics.duplicates).toBe(0);
    expect(detector.appliedSeq(0)).toBe(9);
    const scored = detector.metrics.eventsScored;
    // A redelivery of a message that was applied (its ack lost) changes nothing.
    await detector.ingest(0, evs.slice(0, 50), 5);
    expect(detector.metrics.duplicates).toBe(50);
    expect(detector.metrics.eventsScored).toBe(scored);
  });

  it('counts events older than their key window as late and unkeyed events apart', async () => {
    const evs = events(1, 9);
    const { detector } = harness();
    const later = evs.filter((e) => e.key_id === SCRAPER && e.ts > (START + 12 * 3600) * 1000);
    const early = evs.find((e) => e.key_id === SCRAPER && e.ts < (START + 10 * 3600) * 1000) as AccessEvent;
    await detector.ingest(0, [...later, { ...early, id: 'late-one' }, { ...early, id: 'no-key', key_id: null }]);
    expect(detector.metrics.late).toBe(1);
    expect(detector.metrics.unkeyed).toBe(1);
    expect(detector.metrics.eventsScored).toBe(later.length);
  });

  it('counts an event past the lateness as late when its key has no window open, never folding a window twice', async () => {
    const evs = events(1, 9);
    const other = computeKeyId(SECRET, HONEST_KEYS[1] as string);
    const at = (h: number) => (START + h * 3600) * 1000;
    const morning = evs.filter((e) => e.key_id === SCRAPER && e.ts >= at(8) && e.ts < at(9));
    const noon = evs.filter((e) => e.key_id === other && e.ts >= at(12) && e.ts < at(13));
    const { detector } = harness();
    await detector.ingest(0, morning, 1);
    // Another key of the partition moves event time on: the scraper's 08:00 window closes.
    await detector.ingest(0, noon, 2);
    expect(detector.metrics.windowsClosed).toBe(1);
    // One of its 08:00 requests arrives again under a new id (an agent that published out of order).
    await detector.ingest(0, [{ ...(morning[0] as AccessEvent), id: 'past-the-lateness' }], 3);
    expect(detector.metrics.late).toBe(1);
    await detector.finish();
    // The scraper's 08:00 window and the other key's noon window, each once.
    expect(detector.metrics.windowsClosed).toBe(2);
  });

  it('gives the same alerts whatever the partition count and batch size', async () => {
    const evs = events();
    const a = harness();
    await feed(a.detector, evs, 1, 1000);
    await a.detector.finish();
    const b = harness();
    await feed(b.detector, evs, 8, 37);
    await b.detector.finish();
    const strip = (x: ReturnType<typeof comparable>) => x.map(({ event_time: _e, ...r }) => r);
    expect(strip(comparable((b.alerts as MemoryAlertStore).all()))).toEqual(strip(comparable((a.alerts as MemoryAlertStore).all())));
  });
});
