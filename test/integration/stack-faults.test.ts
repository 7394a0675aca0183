/**
 * The whole live stack under kill -9, one part at a time: the agent, the detector, nats-server
 * (JetStream file store, restarted on its store dir) and redis-server (append-only file fsynced
 * before every reply, `appendfsync always`, restarted on its dir). The simulator's bundled week
 * is written to the log at a steady rate; at 40 % of it one part is killed and started again
 * while the writing goes on (the agent and the detector are frozen for a second first, so they die
 * catching up, with publishes and messages in flight). Each run must end as a clean run does:
 *
 * - every line's event id is in LOWSLOW_EVENTS exactly once, each partition in log order;
 * - the alerts (key_id, kind, window start, severity, reasons) are the clean run's, which are
 *   replay's, with no revision twice in LOWSLOW_ALERTS and no alert twice in the API;
 * - every key's profile in Redis counts each of its events exactly once: its closed windows, the
 *   trail of the last ones and its open window hold what the stream's events say, and each
 *   partition's checkpoint is its last message (stack-readback.ts, `profileAccounting`).
 *
 * Event time alone closes windows (`idle_close_seconds` far away), so a pause in the traffic
 * while a part is down changes nothing the detector computes.
 */
import { readFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../contracts/index.js';
import { alertRevision } from '../../detector/alerts/publish.js';
import { TRAIL_WINDOWS } from '../../detector/profiles/key-state.js';
import { replay } from '../../bin/replay.js';
import { testConfig } from '../support/detector-harness.js';
import { SAMPLE_LOG } from '../support/sample-events.js';
import { Stack, type Part } from '../support/stack.js';
import {
  apiAlerts,
  detectorCounter,
  profileAccounting,
  readStream,
  storedProfiles,
  waitForConsumers,
  waitForStreamEvents,
  type Accounting,
} from '../support/stack-readback.js';

const SECRET = 'stack-faults-secret-0123456789';
const PARTITIONS = 4;
const WINDOW_MS = 3_600_000;
const LATENESS_MS = 120_000;
/** Lines per second written to the log, in chunks every 50 ms. */
const RATE = 12_000;
/**
 * The fault comes when this share of the lines is written; the part stays down this long. A
 * process is frozen for BUSY_MS first, so it dies while catching up, in the middle of its work.
 */
const FAULT_AT = 0.4;
const DOWN_MS = 1_000;
const BUSY_MS = 1_000;

const lines = gunzipSync(readFileSync(SAMPLE_LOG)).toString('utf8').trimEnd().split('\n');
const lineIds = lines.map((l) => (JSON.parse(l) as { request_id: string }).request_id);
const lineOf = new Map(lineIds.map((id, i) => [id, i]));

interface Run {
  written: number;
  /** Event ids missing from the stream, and those in it more than once. */
  missing: number;
  duplicated: number;
  streamEvents: number;
  /** Events that reached their partition's stream after an event of a later line (the agent keeps log order per partition). */
  outOfOrder: { events: number; first: string | null };
  /** The alerts as the API lists them (latest revision), and every message of LOWSLOW_ALERTS. */
  alerts: Alert[];
  published: Alert[];
  accounting: Accounting;
  backlog: number;
  restarts: Record<Part, number>;
  /** From the detector process running at the end (its counters start at its own start). */
  lastDetector: { eventsIn: number; redeliveriesSkipped: number; redeliveriesApplied: number; duplicates: number };
  /** From the agent running at the end: published events it met again after a restart and skipped. */
  agentDuplicatesSkipped: number;
  /** Messages the detector had in flight when it died, which its successor took again in order. */
  takenAgain: number;
  seconds: number;
}

/** What must match between runs: the alert, its final severity and the features it names. */
function alertKeys(alerts: Alert[]): string[] {
  return alerts.map((a) => `${a.key_id} ${a.kind} ${a.window.start} ${a.severity} ${a.reasons.map((r) => r.feature).sort().join(',')}`).sort();
}

function repeated(xs: string[]): string[] {
  const seen = new Set<string>();
  return xs.filter((x) => (seen.has(x) ? true : (seen.add(x), false)));
}

async function writeSteadily(stack: Stack, progress: { written: number }): Promise<void> {
  const chunk = RATE / 20;
  const t0 = Date.now();
  while (progress.written < lines.length) {
    const part = lines.slice(progress.written, progress.written + chunk);
    await appendFile(stack.log, `${part.join('\n')}\n`);
    progress.written += part.length;
    const wait = t0 + (progress.written / RATE) * 1000 - Date.now();
    if (wait > 0) await sleep(wait);
  }
}

async function run(fault: Part | null): Promise<Run> {
  const t0 = Date.now();
  const stack = await Stack.start({ secret: SECRET, partitions: PARTITIONS, env: { LOWSLOW_DETECTOR_IDLE_CLOSE_SECONDS: '86400' } });
  try {
    const progress = { written: 0 };
    const writing = writeSteadily(stack, progress);
    if (fault) {
      while (progress.written < lines.length * FAULT_AT) await sleep(20);
      await stack.crash(fault, { downMs: DOWN_MS, busyMs: BUSY_MS });
    }
    await writing;
    const events = await waitForStreamEvents(stack.nats.url, lines.length, 60_000);
    const backlog = await waitForConsumers(stack.nats.url, 'lowslow-detector', PARTITIONS, 60_000);
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.event.id, (counts.get(e.event.id) ?? 0) + 1);
    const outOfOrder: Run['outOfOrder'] = { events: 0, first: null };
    const latest = new Map<string, number>();
    for (const e of events) {
      const line = lineOf.get(e.event.id) ?? -1;
      const before = latest.get(e.subject) ?? -1;
      if (line < before) {
        outOfOrder.events++;
        outOfOrder.first ??= `${e.subject}: line ${line + 1} at stream sequence ${e.seq}, after line ${before + 1}`;
      } else latest.set(e.subject, line);
    }
    const published = (await readStream(stack.nats.url, 'LOWSLOW_ALERTS')).map((m) => JSON.parse(m.data) as Alert);
    const stored = await storedProfiles(stack.redis.url, 'lowslow', PARTITIONS);
    const counter = (name: string) => detectorCounter(stack.api, `lowslow_detector_${name}`);
    return {
      written: progress.written,
      missing: lineIds.filter((id) => !counts.has(id)).length,
      duplicated: [...counts.values()].filter((n) => n > 1).length,
      streamEvents: events.length,
      outOfOrder,
      alerts: await apiAlerts(stack.api),
      published,
      accounting: profileAccounting(events, stored, { windowMs: WINDOW_MS, latenessMs: LATENESS_MS, trail: TRAIL_WINDOWS }),
      backlog,
      restarts: { ...stack.restarts },
      lastDetector: {
        eventsIn: await counter('events_in_total'),
        redeliveriesSkipped: await counter('redeliveries_skipped_total'),
        redeliveriesApplied: await counter('redeliveries_applied_total'),
        duplicates: await counter('events_duplicate_total'),
      },
      agentDuplicatesSkipped: Number(/^lowslow_agent_duplicates_skipped_total (\d+)/m.exec(await (await fetch(stack.agentMetrics)).text())?.[1] ?? 0),
      takenAgain: [...stack.detector.stderr().matchAll(/"ack_pending":(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0),
      seconds: (Date.now() - t0) / 1000,
    };
  } catch (err) {
    process.stderr.write(`${stack.output()}\n`);
    throw err;
  } finally {
    await stack.stop();
  }
}

function report(label: string, r: Run): void {
  const a = r.accounting;
  const restarts = Object.entries(r.restarts)
    .filter(([, n]) => n > 0)
    .map(([p, n]) => `${p} ×${n}`)
    .join(', ');
  console.log(
    `stack-faults ${label.padEnd(9)} lines ${r.written}, events in stream ${r.streamEvents} (missing ${r.missing}, duplicated ${r.duplicated}, out of log order ${r.outOfOrder.events}), ` +
      `events in profiles ${a.counted} of ${a.keys} keys (late ${a.late}, unkeyed ${a.unkeyed}), alerts ${r.alerts.length} (${r.published.length} revisions on NATS), ` +
      `restarts ${restarts || 'none'}; last detector: events in ${r.lastDetector.eventsIn}, redeliveries skipped ${r.lastDetector.redeliveriesSkipped} / applied ${r.lastDetector.redeliveriesApplied}, ` +
      `duplicate events ${r.lastDetector.duplicates}, in-flight messages taken again in order ${r.takenAgain}; agent: published events skipped on resume ${r.agentDuplicatesSkipped}; ${r.seconds.toFixed(1)} s`,
  );
}

function expectConsistent(r: Run): void {
  expect({ written: r.written, missing: r.missing, duplicated: r.duplicated, events: r.streamEvents }).toEqual({ written: lines.length, missing: 0, duplicated: 0, events: lines.length });
  expect(r.outOfOrder, 'the agent publishes each partition in log order').toEqual({ events: 0, first: null });
  expect(r.backlog, 'detector consumers acknowledged everything').toBe(0);
  expect(repeated(r.published.map(alertRevision)), 'no alert revision twice in LOWSLOW_ALERTS').toEqual([]);
  expect(repeated(r.alerts.map((a) => a.id)), 'no alert twice in the API').toEqual([]);
  expect(new Set(r.published.map((a) => a.id)), 'the API holds what NATS carried').toEqual(new Set(r.alerts.map((a) => a.id)));
  expect(r.accounting.wrong.slice(0, 3), `${r.accounting.wrong.length} keys' profiles disagree with the stream`).toEqual([]);
  expect(r.accounting.wrongCheckpoints).toEqual([]);
  expect(r.accounting.counted + r.accounting.late + r.accounting.unkeyed).toBe(lines.length);
}

describe('the live stack under kill -9 of each part, one at a time', () => {
  let clean: Run;
  let replayed: string[];

  beforeAll(async () => {
    const config = testConfig({ key_secret: SECRET, nats: { partitions: PARTITIONS }, source: { host: 'gw' } });
    const summary = await replay({ files: [SAMPLE_LOG.pathname], config, log: pino({ level: 'silent' }), onAlert: () => undefined });
    replayed = alertKeys(summary.alerts);
    clean = await run(null);
    report('clean', clean);
  }, 60_000);

  it('a clean run publishes every line once, raises replay’s alerts and keeps exact profiles', () => {
    expectConsistent(clean);
    expect(replayed.length).toBeGreaterThanOrEqual(3);
    expect(alertKeys(clean.alerts)).toEqual(replayed);
    // The sample's four planted abusers, one alert each, one of them raised once in severity.
    expect(clean.published.length).toBeGreaterThan(clean.alerts.length);
  });

  it.each(['agent', 'detector', 'nats', 'redis'] as const)('kill -9 of %s under load: same events, alerts and profiles', async (part) => {
    const r = await run(part);
    report(part, r);
    expect(r.restarts[part]).toBe(1);
    expectConsistent(r);
    expect(r.accounting.late, 'events dropped as late').toBe(clean.accounting.late);
    expect(alertKeys(r.alerts)).toEqual(alertKeys(clean.alerts));
    expect(r.published.map(alertRevision).sort()).toEqual(clean.published.map(alertRevision).sort());
  }, 90_000);
});
