import { describe, expect, it } from 'vitest';
import type { AccessEvent, ParamShape } from '../../../../contracts/index.js';
import { shapeOf } from '../../../../agent/sanitize/params.js';
import { foldWindow } from '../../../../detector/features/fold.js';
import { newPopulation, type Population } from '../../../../detector/features/population.js';
import { learnPopulationShapes, routeSeed, shapeSignature } from '../../../../detector/features/shape-set.js';
import { computeFeatures } from '../../../../detector/features/vector.js';
import { addEvent, openWindow } from '../../../../detector/features/window.js';
import { newProfile, type KeyProfile, type OpenWindow } from '../../../../detector/profiles/key-state.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 2, 9);
const UA = 'acme-sync/2.3 (python-requests/2.31.0)';
let n = 0;

function ev(ts: number, over: { route?: string; objects?: number[]; params?: ParamShape[]; status?: number; ua?: string; ip?: string } = {}): AccessEvent {
  return {
    v: 1,
    id: `e${n++}`,
    ts,
    source: { gateway: 'nginx', host: 'h1' },
    key_id: 'a'.repeat(32),
    client: { ip: over.ip ?? '10.0.0.5', ua: over.ua ?? UA },
    request: { method: 'GET', route: over.route ?? '/v1/customers/{int}', objects: over.objects ?? [], params: over.params ?? [], bytes: 0 },
    response: { status: over.status ?? 200, bytes: 500, latency_ms: 10 },
  };
}

/** A key with an hour of history: the given events, folded. */
function keyWith(events: AccessEvent[], pop: Population): KeyProfile {
  const p = newProfile(T0);
  const w = openWindow(T0, HOUR, 'nginx');
  for (const e of events) addEvent(w, p, e, pop);
  foldWindow(p, w, computeFeatures(w, p, pop, 12), 14 * 86_400_000);
  return p;
}

function windowOf(p: KeyProfile, pop: Population, events: AccessEvent[], start = T0 + HOUR): OpenWindow {
  const w = openWindow(start, HOUR, 'nginx');
  for (const e of events) addEvent(w, p, e, pop);
  return w;
}

const q = (v: string) => shapeOf('q', v, false);

describe('key window', () => {
  it('counts a walk through ids as sequential even with other reads in between, and across windows', () => {
    const pop = newPopulation();
    const p = keyWith([], pop);
    const reads: AccessEvent[] = [];
    for (let i = 0; i < 10; i++) {
      reads.push(ev(T0 + HOUR + i * 60_000, { objects: [5000 + i] }));
      reads.push(ev(T0 + HOUR + i * 60_000 + 1, { objects: [90_000 - i * 777] }));
    }
    const w = windowOf(p, pop, reads);
    expect(w.numeric).toBe(20);
    expect(w.sequential).toBe(9);
    // The next window goes on with the walk where the last one stopped.
    const next = windowOf(p, pop, [ev(T0 + 2 * HOUR, { objects: [5010] })], T0 + 2 * HOUR);
    expect(next.sequential).toBe(1);
  });

  it('does not count a walk on one route continued on another', () => {
    const pop = newPopulation();
    const p = keyWith([], pop);
    const w = windowOf(p, pop, [ev(T0 + HOUR, { objects: [10] }), ev(T0 + HOUR + 1, { route: '/v1/orders/{int}', objects: [11] })]);
    expect(w.sequential).toBe(0);
  });

  it('takes an upgraded client library for the same agent, another agent for a new one', () => {
    const pop = newPopulation();
    const p = keyWith([ev(T0)], pop);
    const w = windowOf(p, pop, [
      ev(T0 + HOUR, { ua: 'acme-sync/2.3 (python-requests/2.32.3)' }),
      ev(T0 + HOUR + 1, { ua: 'curl/8.5.0' }),
    ]);
    expect(w.new_agent).toBe(1);
  });

  it('takes a known route in a new API version for a known route', () => {
    const pop = newPopulation();
    const p = keyWith([ev(T0, { route: '/v1/orders/{int}' })], pop);
    const w = windowOf(p, pop, [ev(T0 + HOUR, { route: '/v2/orders/{int}' }), ev(T0 + HOUR + 1, { route: '/v1/admin/users' })]);
    expect(w.new_route).toBe(1);
  });

  it('counts requests whose parameter shape neither the key nor the population sent, and those that failed', () => {
    const pop = newPopulation();
    const p = keyWith([ev(T0, { route: '/v1/customers', params: [q('smith')] })], pop);
    // Another key of the partition searched with a hyphenated name before.
    learnPopulationShapes(pop, [shapeSignature(routeSeed('/v1/customers'), q('Smith-Jones'))]);
    const w = windowOf(p, pop, [
      ev(T0 + HOUR, { route: '/v1/customers', params: [q('jones')] }), // the key's own shape
      ev(T0 + HOUR + 1, { route: '/v1/customers', params: [q('Mary-Lou')] }), // the population's
      ev(T0 + HOUR + 2, { route: '/v1/customers', params: [q("smith' OR '1'='1")], status: 400 }),
      ev(T0 + HOUR + 3, { route: '/v1/customers', params: [q("jones' OR '1'='1")], status: 400 }), // same shape again
      ev(T0 + HOUR + 4, { route: '/v1/customers', params: [q('<script>alert(1)</script>')], status: 500 }),
    ]);
    expect(w.new_shape).toBe(2);
    expect(w.new_shape_err).toBe(2);
  });

  it('learns the shapes of a closed window, so the same shape is not new the next time', () => {
    const pop = newPopulation();
    const p = keyWith([ev(T0, { route: '/v1/customers', params: [q("o'brien")] })], pop);
    const w = windowOf(p, pop, [ev(T0 + HOUR, { route: '/v1/customers', params: [q("o'hara")] })]);
    expect(w.new_shape).toBe(0);
  });
});
