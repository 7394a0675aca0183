/**
 * A key's open event-time window: every event of the key lands here until the window closes.
 * Per-event work only: counters, a sketch bit, a few map lookups.
 */
import type { AccessEvent } from '../../contracts/index.js';
import { sketchAdd, SKETCH_BYTES } from '../profiles/object-sketch.js';
import { agentTag, bump, MAX_WINDOW_ROUTES, networkOf, type KeyProfile, type OpenWindow } from '../profiles/key-state.js';

const PAGE_PARAMS = new Set(['page', 'p', 'offset', 'start', 'skip', 'from', 'page_number', 'pagenumber']);
const LIMIT_PARAMS = new Set(['limit', 'per_page', 'perpage', 'page_size', 'pagesize', 'size', 'count', 'max', 'top', 'first']);
const MAX_SAMPLES = 5;
const MAX_NETWORKS = 8;
const MAX_HOSTS = 4;

// Decoded sketches of open windows; `objects` (base64) is refreshed only when the state is saved.
const sketches = new WeakMap<OpenWindow, Uint8Array>();

export function windowSketch(w: OpenWindow): Uint8Array {
  let bits = sketches.get(w);
  if (!bits) {
    bits = w.objects === '' ? new Uint8Array(SKETCH_BYTES) : new Uint8Array(Buffer.from(w.objects, 'base64'));
    sketches.set(w, bits);
  }
  return bits;
}

/** Writes the sketch back into the JSON-safe window before it is stored. */
export function sealWindow(w: OpenWindow): void {
  const bits = sketches.get(w);
  if (bits) w.objects = Buffer.from(bits).toString('base64');
}

export function openWindow(ts: number, windowMs: number, gateway: string): OpenWindow {
  const start = Math.floor(ts / windowMs) * windowMs;
  return {
    start,
    end: start + windowMs,
    requests: 0,
    errors: 0,
    bytes_out: 0,
    numeric: 0,
    sequential: 0,
    last_id: -1,
    last_route: '',
    objects: '',
    routes: {},
    new_route: 0,
    new_network: 0,
    new_agent: 0,
    networks: [],
    agents: [],
    max_page: 0,
    max_limit: 0,
    gateway,
    hosts: [],
    samples: [],
    last_ts: ts,
  };
}

export function addEvent(w: OpenWindow, p: KeyProfile, e: AccessEvent): void {
  const req = e.request;
  const route = req.route;
  const known = p.windows > 0;
  w.requests++;
  if (e.response.status >= 400 && e.response.status < 500) w.errors++;
  w.bytes_out += e.response.bytes;
  if (e.ts > w.last_ts) w.last_ts = e.ts;
  bump(w.routes, route, 1, MAX_WINDOW_ROUTES);
  if (known && p.routes[route] === undefined) w.new_route++;

  const net = networkOf(e.client.ip);
  if (known && p.networks[net] === undefined) w.new_network++;
  if (w.networks.length < MAX_NETWORKS && !w.networks.includes(net)) w.networks.push(net);
  const agent = agentTag(e.client.ua);
  if (known && p.agents[agent] === undefined) w.new_agent++;
  if (w.agents.length < MAX_NETWORKS && !w.agents.includes(agent)) w.agents.push(agent);
  if (w.hosts.length < MAX_HOSTS && !w.hosts.includes(e.source.host)) w.hosts.push(e.source.host);
  if (w.samples.length < MAX_SAMPLES) w.samples.push(e.id);

  if (req.objects.length > 0) {
    const bits = windowSketch(w);
    for (const o of req.objects) sketchAdd(bits, route, o);
    const first = req.objects[0];
    if (typeof first === 'number') {
      w.numeric++;
      const step = first - w.last_id;
      // Enumeration walks forward by small steps, whatever else the key does in between.
      if (w.last_route === route && step >= 1 && step <= 3) w.sequential++;
      w.last_id = first;
      w.last_route = route;
    }
  }

  for (const prm of req.params) {
    if (typeof prm.value !== 'number') continue;
    const name = prm.name.toLowerCase();
    if (PAGE_PARAMS.has(name)) {
      if (prm.value > w.max_page) w.max_page = prm.value;
    } else if (LIMIT_PARAMS.has(name) && prm.value > w.max_limit) w.max_limit = prm.value;
  }
}
