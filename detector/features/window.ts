/**
 * A key's open event-time window: every event of the key lands here until the window closes.
 * Per-event work only: counters, a sketch bit, a few map lookups.
 */
import type { AccessEvent } from '../../contracts/index.js';
import { objectHash, sketchAddObject, SKETCH_BYTES } from '../profiles/object-sketch.js';
import {
  agentTag,
  bump,
  knownAgentFamily,
  knownRouteVersion,
  MAX_RUNS,
  MAX_WINDOW_ROUTES,
  MAX_WINDOW_SHAPES,
  networkOf,
  routeTag,
  type KeyProfile,
  type KeyState,
  type OpenWindow,
} from '../profiles/key-state.js';
import { coverAdd, idSpaceOf, sealCover } from './coverage.js';
import type { Population } from './population.js';
import { keyKnows, populationKnows, routeSeed, shapeSignature } from './shape-set.js';

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

/** Writes every decoded sketch of a key's state (window, coverage) back before it is stored. */
export function sealState(s: KeyState): void {
  if (s.window) sealWindow(s.window);
  sealCover(s.profile);
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
    objects: '',
    routes: {},
    new_route: 0,
    new_network: 0,
    new_agent: 0,
    new_shape: 0,
    new_shape_err: 0,
    shapes: [],
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

/**
 * Adds one event to the key's open window. The key's id runs (profile) move on here; every other
 * part of the profile changes only when the window folds.
 */
export function addEvent(w: OpenWindow, p: KeyProfile, e: AccessEvent, pop: Population): void {
  const req = e.request;
  const route = req.route;
  const known = p.windows > 0;
  const status = e.response.status;
  w.requests++;
  if (status >= 400 && status < 500) w.errors++;
  w.bytes_out += e.response.bytes;
  if (e.ts > w.last_ts) w.last_ts = e.ts;
  bump(w.routes, route, 1, MAX_WINDOW_ROUTES);
  if (known && p.routes[route] === undefined && !knownRouteVersion(p.routes, route)) w.new_route++;

  const net = networkOf(e.client.ip);
  if (known && p.networks[net] === undefined) w.new_network++;
  if (w.networks.length < MAX_NETWORKS && !w.networks.includes(net)) w.networks.push(net);
  const agent = agentTag(e.client.ua);
  // The same agent in another version is the key's client upgraded, not a new client.
  if (known && p.agents[agent] === undefined && !knownAgentFamily(p.agents, agent) && hasAgents(p)) w.new_agent++;
  if (w.agents.length < MAX_NETWORKS && !w.agents.includes(agent)) w.agents.push(agent);
  if (w.hosts.length < MAX_HOSTS && !w.hosts.includes(e.source.host)) w.hosts.push(e.source.host);
  if (w.samples.length < MAX_SAMPLES) w.samples.push(e.id);

  const consumer = e.context?.consumer_id;
  if (consumer !== undefined && w.consumer === undefined) w.consumer = consumer;

  if (req.objects.length > 0) {
    const bits = windowSketch(w);
    const space = idSpaceOf(route);
    for (const o of req.objects) {
      const h = objectHash(route, o);
      sketchAddObject(bits, h);
      coverAdd(p, space, space === route ? h : objectHash(space, o), o, e.ts);
    }
    const first = req.objects[0];
    if (typeof first === 'number') {
      w.numeric++;
      if (continuesRun(p.runs, routeTag(route), first)) w.sequential++;
    }
  }
  if (req.params.length > 0) newShapes(w, p, pop, route, req.params, status >= 400);

  for (const prm of req.params) {
    if (typeof prm.value !== 'number') continue;
    const name = prm.name.toLowerCase();
    if (PAGE_PARAMS.has(name)) {
      if (prm.value > w.max_page) w.max_page = prm.value;
    } else if (LIMIT_PARAMS.has(name) && prm.value > w.max_limit) w.max_limit = prm.value;
  }
}

function hasAgents(p: KeyProfile): boolean {
  for (const _ in p.agents) return true;
  return false;
}

/**
 * Enumeration walks forward by small steps, whatever else the key reads in between: the id
 * continues one of the key's recent runs on the route by +1..+3. Either way the id becomes the
 * most recent run, the least recent one giving way.
 */
function continuesRun(runs: number[], tag: number, id: number): boolean {
  let hit = -1;
  for (let i = runs.length - 2; i >= 0; i -= 2) {
    if (runs[i] !== tag) continue;
    const step = id - (runs[i + 1] as number);
    if (step >= 1 && step <= 3) {
      hit = i;
      break;
    }
  }
  if (hit >= 0) runs.splice(hit, 2);
  else if (runs.length >= 2 * MAX_RUNS) runs.splice(0, 2);
  runs.push(tag, id);
  return hit >= 0;
}

/**
 * The per-request shape check: a parameter shape this key never sent on the route is remembered
 * for the fold; when the partition's keys never sent it either, the request counts as novel.
 */
function newShapes(w: OpenWindow, p: KeyProfile, pop: Population, route: string, params: AccessEvent['request']['params'], failed: boolean): void {
  const seed = routeSeed(route);
  let novel = false;
  for (const prm of params) {
    const sig = shapeSignature(seed, prm);
    if (keyKnows(p, sig) || w.shapes.includes(sig)) continue;
    if (w.shapes.length < MAX_WINDOW_SHAPES) w.shapes.push(sig);
    if (!populationKnows(pop, sig)) novel = true;
  }
  if (!novel) return;
  w.new_shape++;
  if (failed) w.new_shape_err++;
}
