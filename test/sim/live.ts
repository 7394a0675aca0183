/**
 * The simulator played live against a real gateway, for `docker compose up`: the run is laid so
 * that its last day is today. Everything that ended before now is written at once as NGINX log
 * lines to a history file the agent reads from its beginning (days of learning in seconds);
 * everything after is sent, at its own time, as a real HTTP request through the gateway, whose
 * access log the agent follows. The attacks start on the last day, so alerts come within minutes.
 *
 *   tsx test/sim/live.ts --target http://nginx:8080 --history /var/log/lowslow-sim/history.json \
 *     [--seed 1] [--days 7] [--keys 40] [--concurrency 32] [--start-delay S] [--pace X] [--live-limit N] [--now ISO]
 *
 * `--pace` plays the live part X times faster than real time; `--live-limit` stops after N live
 * requests; `--now` lays the run as if the clock said that time (all for tests, which must not
 * depend on how much of the UTC day is left; the demo plays in real time to the end of the day).
 *
 * The response the simulated API would give travels in X-Demo-Status and X-Demo-Bytes, which the
 * demo API (deploy/demo-api) answers with. The loop ends with the simulated window, and every
 * request has a timeout, so the player always stops by itself.
 */
import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { SimEvent } from './event.js';
import { formatNginxLine } from './format-nginx.js';
import { simulate } from './simulate.js';

const DAY_MS = 86_400_000;
const REQUEST_TIMEOUT_MS = 10_000;

export interface LivePlan {
  start: string;
  days: number;
  attackDay: number;
}

/** The run whose last day is the UTC day of `now`, attacks on that day. */
export function livePlan(now: number, days: number): LivePlan {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return { start: new Date(today - (days - 1) * DAY_MS).toISOString(), days, attackDay: days - 1 };
}

/** What the gateway is sent for one simulated request. */
export function liveRequest(e: SimEvent, target: string): { url: string; init: RequestInit } {
  const headers: Record<string, string> = {
    'user-agent': e.userAgent,
    'x-forwarded-for': e.remoteAddr,
    'x-demo-status': String(e.status),
    'x-demo-bytes': String(e.bytesSent),
  };
  if (e.apiKey) headers['x-api-key'] = e.apiKey;
  const url = `${target}${e.uri}${e.args ? `?${e.args}` : ''}`;
  return { url, init: { method: e.method, headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) } };
}

async function writeHistory(events: Iterator<SimEvent>, file: string, now: number): Promise<SimEvent | null> {
  const part = `${file}.part`;
  const out = createWriteStream(part);
  let lines = 0;
  let next: SimEvent | null = null;
  for (let r = events.next(); !r.done; r = events.next()) {
    if (r.value.endMs >= now) {
      next = r.value;
      break;
    }
    if (!out.write(`${formatNginxLine(r.value)}\n`)) await new Promise<void>((ok) => out.once('drain', ok));
    lines++;
  }
  await new Promise<void>((ok, fail) => out.end((err?: Error | null) => (err ? fail(err) : ok())));
  // The agent only sees the history once it is whole: a rename is atomic.
  await rename(part, file);
  process.stdout.write(`history: ${lines} lines up to ${new Date(now).toISOString()} in ${file}\n`);
  return next;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      target: { type: 'string' },
      history: { type: 'string' },
      seed: { type: 'string', default: '1' },
      days: { type: 'string', default: '7' },
      keys: { type: 'string', default: '40' },
      concurrency: { type: 'string', default: '32' },
      'start-delay': { type: 'string', default: '20' },
      pace: { type: 'string', default: '1' },
      'live-limit': { type: 'string', default: '0' },
      now: { type: 'string' },
    },
  });
  if (!values.target || !values.history) throw new Error('live: --target URL and --history FILE are required');
  const target = values.target.replace(/\/$/, '');
  const now = values.now === undefined ? Date.now() : Date.parse(values.now);
  if (!Number.isFinite(now)) throw new Error(`live: --now is not a time: ${values.now}`);
  const plan = livePlan(now, Number(values.days));
  const sim = simulate({ seed: Number(values.seed), keys: Number(values.keys), ...plan });
  const events = sim.events[Symbol.iterator]();
  let next = await writeHistory(events, values.history, now);
  // Give the agent and detectors time to take in the history before live traffic moves event time on.
  await new Promise((ok) => setTimeout(ok, Number(values['start-delay']) * 1000));
  const wallStart = Date.now();
  const pace = Number(values.pace);
  const liveLimit = Number(values['live-limit']);
  // Wall-clock time at which a simulated request is sent.
  const sendAt = (e: SimEvent) => wallStart + (e.startMs - now) / pace;
  const limit = Number(values.concurrency);
  let inFlight = 0;
  let sent = 0;
  let failed = 0;
  const statusOf = new Map<number, number>();
  const report = setInterval(() => process.stdout.write(`live: ${sent} sent, ${failed} failed, statuses ${JSON.stringify(Object.fromEntries(statusOf))}\n`), 30_000);
  let started = 0;
  while (next !== null && (liveLimit === 0 || started < liveLimit)) {
    const e = next;
    const wait = sendAt(e) - Date.now();
    if (wait > 0) await new Promise((ok) => setTimeout(ok, Math.min(wait, 60_000)));
    if (sendAt(e) > Date.now()) continue;
    started++;
    while (inFlight >= limit) await new Promise((ok) => setTimeout(ok, 5));
    inFlight++;
    const { url, init } = liveRequest(e, target);
    fetch(url, init)
      .then(async (res) => {
        await res.arrayBuffer();
        statusOf.set(res.status, (statusOf.get(res.status) ?? 0) + 1);
        sent++;
      })
      .catch(() => failed++)
      .finally(() => inFlight--);
    const r = events.next();
    next = r.done ? null : r.value;
  }
  while (inFlight > 0) await new Promise((ok) => setTimeout(ok, 5));
  clearInterval(report);
  process.stdout.write(`live: done, ${sent} sent, ${failed} failed\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((err: Error) => {
    process.stderr.write(`live: ${err.message}\n`);
    process.exit(1);
  });
}
