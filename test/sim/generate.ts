import { dayStart, type SimWindow } from './calendar.js';
import type { SimEvent, SimRequest } from './event.js';
import { MinHeap } from './heap.js';
import type { Behaviour } from './personas/index.js';
import { Rng } from './prng.js';
import type { Roster } from './roster.js';

interface Pending {
  req: SimRequest;
  seq: number;
}

interface Head {
  req: SimRequest;
  stream: number;
  rest: Iterator<SimRequest>;
}

/**
 * All requests of a run in log order (request end time, then stream), lazily: each stream
 * is generated one day at a time and k-way merged, so memory holds about a day of one
 * key's traffic per stream, whatever the run length. Request ids are drawn in output order
 * from their own stream. This is the per-event generator a live-paced player can consume.
 */
export function* generateEvents(roster: Roster, seed: number): Generator<SimEvent> {
  const behaviours = [...roster.keys.map((k) => k.behaviour), ...roster.background];
  const heads = new MinHeap<Head>((a, b) => a.req.endMs < b.req.endMs || (a.req.endMs === b.req.endMs && a.stream < b.stream));
  behaviours.forEach((behaviour, stream) => {
    const rest = streamRequests(behaviour, roster.window);
    const first = rest.next();
    if (!first.done) heads.push({ req: first.value, stream, rest });
  });
  const ids = Rng.from(seed, 'request-id');
  for (let head = heads.pop(); head; head = heads.pop()) {
    yield { ...head.req, requestId: ids.hex(32), stream: head.stream };
    const next = head.rest.next();
    if (!next.done) heads.push({ req: next.value, stream: head.stream, rest: head.rest });
  }
}

/**
 * One behaviour's requests in end-time order, clipped to the window. After day d is
 * generated, everything ending before the next midnight is final: later days only add
 * requests that start (so end) after it.
 */
function* streamRequests(behaviour: Behaviour, window: SimWindow): Generator<SimRequest> {
  const pending = new MinHeap<Pending>((a, b) => a.req.endMs < b.req.endMs || (a.req.endMs === b.req.endMs && a.seq < b.seq));
  const buffer: SimRequest[] = [];
  let seq = 0;
  for (let day = -1; day < window.days; day++) {
    buffer.length = 0;
    behaviour.day(day, buffer);
    const from = dayStart(window, day);
    for (const req of buffer) {
      // Order depends on the Behaviour contract; a request before its day would be misplaced.
      if (req.startMs < from) throw new Error(`sim: a request of day ${day} starts before that day (${req.uri} at ${req.startMs})`);
      pending.push({ req, seq: seq++ });
    }
    const final = dayStart(window, day + 1);
    for (let top = pending.peek(); top && top.req.endMs < final; top = pending.peek()) {
      pending.pop();
      if (top.req.endMs >= window.startMs) yield top.req;
    }
  }
  // What is left ends after the window.
}
