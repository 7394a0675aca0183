/**
 * What a live stack left behind, read back for assertions: every message of a stream with its
 * sequence, the detector's consumers, alerts through the API, and each key's stored profile
 * checked against the events of the stream (`profileAccounting`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Redis } from 'ioredis';
import type { AccessEvent, Alert } from '../../contracts/index.js';
import { decodeState } from '../../detector/profiles/redis-store.js';
import type { KeyState } from '../../detector/profiles/key-state.js';

export interface StreamMessage {
  seq: number;
  subject: string;
  data: string;
}

/** Every message of a stream, in order (an ephemeral ordered consumer). */
export async function readStream(url: string, stream: string): Promise<StreamMessage[]> {
  const nc = await connect({ servers: url });
  try {
    const total = (await (await jetstreamManager(nc)).streams.info(stream)).state.messages;
    const out: StreamMessage[] = [];
    if (total === 0) return out;
    const consumer = await jetstream(nc).consumers.get(stream);
    while (out.length < total) {
      const batch = await consumer.fetch({ max_messages: Math.min(1000, total - out.length), expires: 5_000 });
      let got = 0;
      for await (const m of batch) {
        got++;
        out.push({ seq: m.seq, subject: m.subject, data: m.string() });
      }
      if (got === 0) break;
    }
    return out;
  } finally {
    await nc.close();
  }
}

export interface StreamEvent {
  seq: number;
  subject: string;
  event: AccessEvent;
}

export function eventsOf(messages: StreamMessage[]): StreamEvent[] {
  const out: StreamEvent[] = [];
  for (const m of messages) for (const line of m.data.split('\n')) out.push({ seq: m.seq, subject: m.subject, event: JSON.parse(line) as AccessEvent });
  return out;
}

/** Polls until the events stream holds at least `n` events (a little longer for late duplicates). */
export async function waitForStreamEvents(url: string, n: number, timeoutMs: number): Promise<StreamEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let events: StreamEvent[] = [];
    try {
      events = eventsOf(await readStream(url, 'LOWSLOW_EVENTS'));
    } catch {
      // the server may be restarting
    }
    if (events.length >= n || Date.now() > deadline) {
      if (events.length >= n) await sleep(1_000);
      return events.length >= n ? eventsOf(await readStream(url, 'LOWSLOW_EVENTS')) : events;
    }
    await sleep(500);
  }
}

/** Messages not yet delivered plus delivered and unacknowledged, summed over the detector's partition consumers. */
export async function consumerBacklog(url: string, durable: string, partitions: number): Promise<number> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    let n = 0;
    for (let p = 0; p < partitions; p++) {
      const i = await jsm.consumers.info('LOWSLOW_EVENTS', `${durable}-p${p}`);
      n += i.num_pending + i.num_ack_pending;
    }
    return n;
  } finally {
    await nc.close();
  }
}

/** Waits until every partition consumer has acknowledged everything, twice in a row. */
export async function waitForConsumers(url: string, durable: string, partitions: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let idle = 0;
  let backlog = -1;
  while (Date.now() < deadline) {
    backlog = await consumerBacklog(url, durable, partitions).catch(() => -1);
    idle = backlog === 0 ? idle + 1 : 0;
    if (idle >= 2) return 0;
    await sleep(300);
  }
  return backlog;
}

/** Every alert the API lists, page by page. */
export async function apiAlerts(api: string): Promise<Alert[]> {
  const out: Alert[] = [];
  let cursor: string | null = null;
  do {
    const res = await fetch(`${api}/v1/alerts?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    if (res.status !== 200) throw new Error(`GET /v1/alerts answered ${res.status}`);
    const page = (await res.json()) as { alerts: Alert[]; next_cursor: string | null };
    out.push(...page.alerts);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return out;
}

/** One of the detector's counters from its /metrics (0 when absent). */
export async function detectorCounter(api: string, name: string): Promise<number> {
  const text = await (await fetch(`${api}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
}

export interface StoredProfiles {
  states: Map<string, KeyState>;
  checkpoints: Map<number, { seq: number; watermark: number }>;
}

export async function storedProfiles(url: string, prefix: string, partitions: number): Promise<StoredProfiles> {
  const redis = new Redis(url);
  try {
    const states = new Map<string, KeyState>();
    for (const k of await redis.keys(`${prefix}:{*}:state`)) {
      const b = await redis.getBuffer(k);
      if (b) {
        const s = decodeState(b);
        states.set(s.key_id, s);
      }
    }
    const checkpoints = new Map<number, { seq: number; watermark: number }>();
    for (let p = 0; p < partitions; p++) {
      const h = await redis.hgetall(`${prefix}:{p${p}}:checkpoint`);
      if (h.seq) checkpoints.set(p, { seq: Number(h.seq), watermark: Number(h.watermark) });
    }
    return { states, checkpoints };
  } finally {
    redis.disconnect();
  }
}

export interface Accounting {
  /** Keys whose stored profile differs from what the stream says, with the first difference. */
  wrong: Array<{ key_id: string; field: string; stored: unknown; expected: unknown }>;
  /** Partitions whose checkpoint is not the last message and the highest event time of the stream. */
  wrongCheckpoints: Array<{ partition: number; stored: unknown; expected: unknown }>;
  keys: number;
  /** Events of keyed requests counted in windows, as the stream says they must be. */
  counted: number;
  late: number;
  unkeyed: number;
}

/**
 * What each key's stored profile must hold if every message of the stream was applied exactly
 * once, in stream order, one message at a time as the detector applies them: a key's window
 * starts at its first event's window boundary and closes at the key's first event past its end,
 * or at the end of a message once the partition's event time (highest keyed event time) is more
 * than the lateness past its end; an event before the key's open window, or older than the
 * lateness when the key has none open, is late and not counted. Then `profile.windows` is the
 * number of closed windows, the trail holds the last closed windows' starts and request counts,
 * the open window the rest, and each partition's checkpoint is its last message's sequence and
 * its event time.
 */
export function profileAccounting(events: StreamEvent[], stored: StoredProfiles, o: { windowMs: number; latenessMs: number; trail: number }): Accounting {
  interface Cut {
    closed: Array<[number, number]>;
    open: [number, number] | null;
  }
  interface Part {
    seq: number;
    watermark: number;
    keys: Map<string, Cut>;
  }
  const parts = new Map<number, Part>();
  let late = 0;
  let unkeyed = 0;
  let counted = 0;
  const closeDue = (pt: Part) => {
    for (const c of pt.keys.values()) {
      if (c.open && c.open[0] + o.windowMs <= pt.watermark - o.latenessMs) {
        c.closed.push(c.open);
        c.open = null;
      }
    }
  };
  for (let i = 0; i < events.length; i++) {
    const { seq, subject, event: e } = events[i] as StreamEvent;
    const partition = Number(/^lowslow\.events\.p(\d+)\./.exec(subject)?.[1]);
    let pt = parts.get(partition);
    if (!pt) parts.set(partition, (pt = { seq: 0, watermark: 0, keys: new Map() }));
    pt.seq = Math.max(pt.seq, seq);
    // The detector skips unkeyed events before they move event time.
    if (e.key_id !== null) {
      if (e.ts > pt.watermark) pt.watermark = e.ts;
      let c = pt.keys.get(e.key_id);
      if (!c) pt.keys.set(e.key_id, (c = { closed: [], open: null }));
      if (c.open && e.ts >= c.open[0] + o.windowMs) {
        c.closed.push(c.open);
        c.open = null;
      }
      if ((c.open === null && e.ts < pt.watermark - o.latenessMs) || (c.open !== null && e.ts < c.open[0])) late++;
      else {
        if (!c.open) c.open = [Math.floor(e.ts / o.windowMs) * o.windowMs, 0];
        c.open[1]++;
        counted++;
      }
    } else unkeyed++;
    // End of a message: windows the partition's event time has left behind close.
    if (events[i + 1]?.seq !== seq) closeDue(pt);
  }
  const wrong: Accounting['wrong'] = [];
  const all = new Set<string>();
  for (const pt of parts.values()) {
    for (const [id, c] of pt.keys) {
      all.add(id);
      const s = stored.states.get(id);
      const check = (field: string, stored: unknown, expected: unknown) => {
        if (JSON.stringify(stored) !== JSON.stringify(expected)) wrong.push({ key_id: id, field, stored, expected });
      };
      if (!s) {
        wrong.push({ key_id: id, field: 'state', stored: null, expected: 'a state' });
        continue;
      }
      check('profile.windows', s.profile.windows, c.closed.length);
      check(
        'profile.trail [start, requests]',
        s.profile.trail.map((t) => [t[0] * 60_000, t[1]]),
        c.closed.slice(-o.trail),
      );
      check('window [start, requests]', s.window ? [s.window.start, s.window.requests] : null, c.open);
    }
  }
  for (const id of stored.states.keys()) if (!all.has(id)) wrong.push({ key_id: id, field: 'state', stored: 'a state', expected: 'no events' });
  const wrongCheckpoints: Accounting['wrongCheckpoints'] = [];
  for (const [p, pt] of parts) {
    const cp = stored.checkpoints.get(p);
    const expected = { seq: pt.seq, watermark: pt.watermark };
    if (!cp || cp.seq !== expected.seq || cp.watermark !== expected.watermark) wrongCheckpoints.push({ partition: p, stored: cp ?? null, expected });
  }
  return { wrong, wrongCheckpoints, keys: all.size, counted, late, unkeyed };
}
