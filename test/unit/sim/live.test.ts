import { describe, expect, it } from 'vitest';
import { livePlan, liveRequest } from '../../sim/live.js';
import { simulate } from '../../sim/simulate.js';

describe('the live-paced player', () => {
  it('lays the run so that its last day, the attack day, is today', () => {
    const now = Date.parse('2026-12-01T16:20:00Z');
    const plan = livePlan(now, 7);
    expect(plan).toEqual({ start: '2026-11-25T00:00:00.000Z', days: 7, attackDay: 6 });
    const sim = simulate({ seed: 3, keys: 12, ...plan });
    let before = 0;
    let after = 0;
    for (const e of sim.events) (e.endMs < now ? before++ : after++);
    expect(before).toBeGreaterThan(0);
    expect(after).toBeGreaterThan(0);
    const today = Date.parse('2026-12-01T00:00:00Z');
    const attacks = sim.truth.keys.filter((k) => k.abusive).map((k) => k.attack_start_ms!);
    expect(attacks.length).toBeGreaterThan(0);
    for (const t of attacks) expect(t).toBeGreaterThanOrEqual(today);
  });

  it('sends the key in X-Api-Key, the client address in X-Forwarded-For and the answer the demo API should give', () => {
    const sim = simulate({ seed: 3, keys: 12, days: 2, attackDay: 1 });
    const e = [...sim.events].find((x) => x.apiKey !== '' && x.args !== '')!;
    const { url, init } = liveRequest(e, 'http://nginx:8080');
    expect(url).toBe(`http://nginx:8080${e.uri}?${e.args}`);
    const h = init.headers as Record<string, string>;
    expect(h['x-api-key']).toBe(e.apiKey);
    expect(h['x-forwarded-for']).toBe(e.remoteAddr);
    expect(h['x-demo-status']).toBe(String(e.status));
    expect(h['x-demo-bytes']).toBe(String(e.bytesSent));
    expect(init.method).toBe(e.method);
  });
});
