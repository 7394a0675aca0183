import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../../sim/event.js';
import { parseAttackMix } from '../../sim/options.js';
import {
  DAY,
  EXTENDED,
  HOUR,
  MINUTE,
  collect,
  eventsOf,
  extendedRun,
  idOf,
  keysOf,
  localHour,
  localWeekday,
  network,
  perBucket,
} from './extended.js';

const run = extendedRun();
const { truth } = run;
const abusive = (events: SimEvent[]): SimEvent[] => events.filter((e) => e.abusive);
const peak = (events: SimEvent[], bucket: number): number => Math.max(0, ...perBucket(events, bucket).values());
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const decoded = (args: string): string[] => [...new URLSearchParams(args).values()];

describe('planted volume-matched scraper', () => {
  // Its own run: a week of the victim's habits before the attack, a week after.
  const vm = collect({ seed: 3, days: 14, keys: 30, attackDay: 7, attacks: parseAttackMix('volume-matched-scraper:3') });
  const keys = keysOf(vm.truth, 'volume-matched-scraper');

  it('keeps the key\'s hourly volume within 30 % of its usual', () => {
    expect(keys).toHaveLength(3);
    for (const key of keys) {
      const events = eventsOf(vm, key);
      const before = events.filter((e) => e.startMs < key.attack_start_ms!);
      const after = events.filter((e) => e.startMs >= key.attack_start_ms!);
      expect(abusive(after).length).toBeGreaterThan(100);
      const usual = mean([...perBucket(before, HOUR).values()]);
      const during = mean([...perBucket(after, HOUR).values()]);
      expect(during / usual).toBeGreaterThan(0.7);
      expect(during / usual).toBeLessThan(1.3);
    }
  });

  it('replaces part of the key\'s own reads: same networks, agents and working hours as its honest traffic that day', () => {
    for (const key of keys) {
      const events = eventsOf(vm, key);
      const honest = new Set(events.filter((e) => !e.abusive).map((e) => `${network(e.remoteAddr)} ${e.userAgent}`));
      const scraped = abusive(events);
      for (const e of scraped) expect(honest.has(`${network(e.remoteAddr)} ${e.userAgent}`)).toBe(true);
      const hours = new Set(perBucket(events.filter((e) => !e.abusive), HOUR).keys());
      const outside = scraped.filter((e) => !hours.has(Math.floor(e.endMs / HOUR) * HOUR));
      expect(outside.length / scraped.length).toBeLessThan(0.05);
    }
  });

  it('walks the ids of one detail route in sequence, from the attack start on', () => {
    for (const key of keys) {
      const scraped = abusive(eventsOf(vm, key)).sort((a, b) => a.startMs - b.startMs);
      expect(scraped[0]!.startMs).toBe(key.attack_start_ms);
      expect(new Set(scraped.map((e) => e.uri.replace(/\d+$/, ''))).size).toBe(1);
      scraped.forEach((e, i) => i > 0 && expect(idOf(e.uri)).toBe(idOf(scraped[i - 1]!.uri)! + 1));
    }
  });
});

describe('planted night export with a stolen office-hours key', () => {
  const keys = keysOf(truth, 'night-export');

  it('is a back-office key whose own traffic stays in office hours', () => {
    for (const key of keys) {
      expect(key.base_persona).toBe('back-office');
      for (const e of eventsOf(run, key).filter((x) => !x.abusive)) expect(localHour(e.startMs, key.tz_offset_min!)).toBeGreaterThanOrEqual(9);
    }
  });

  it('exports thousands of records in one burst at night in the victim\'s time zone', () => {
    for (const key of keys) {
      const burst = abusive(eventsOf(run, key));
      expect(burst.length).toBeGreaterThan(1000);
      expect(burst[0]!.startMs).toBe(key.attack_start_ms);
      expect(burst[burst.length - 1]!.endMs - burst[0]!.startMs).toBeLessThanOrEqual(5.5 * HOUR);
      for (const e of burst) {
        expect(localHour(e.startMs, key.tz_offset_min!)).toBeLessThan(5.6);
      }
      expect(localHour(burst[0]!.startMs, key.tz_offset_min!)).toBeGreaterThanOrEqual(0.5);
      expect(burst.filter((e) => e.uri === '/v1/customers').length).toBeGreaterThan(100);
    }
  });

  it('comes from a network and an agent the key never used before', () => {
    for (const key of keys) {
      const events = eventsOf(run, key);
      const before = events.filter((e) => e.startMs < key.attack_start_ms!);
      const nets = new Set(before.map((e) => network(e.remoteAddr)));
      const agents = new Set(before.map((e) => e.userAgent));
      for (const e of abusive(events)) {
        expect(nets.has(network(e.remoteAddr))).toBe(false);
        expect(agents.has(e.userAgent)).toBe(false);
      }
    }
  });
});

describe('planted BOLA prober', () => {
  const keys = keysOf(truth, 'bola-prober');

  it('gets 403 or 404 for at least 70 % of its probes, and a few 200s', () => {
    for (const key of keys) {
      const probes = abusive(eventsOf(run, key));
      expect(probes.length).toBeGreaterThan(100);
      const refused = probes.filter((e) => e.status === 403 || e.status === 404).length;
      expect(refused / probes.length).toBeGreaterThanOrEqual(0.7);
      expect(probes.some((e) => e.status === 200)).toBe(true);
    }
  });

  it('probes ids the tenant never read, on record routes, in working hours', () => {
    for (const key of keys) {
      const events = eventsOf(run, key);
      const own = new Set(events.filter((e) => !e.abusive).map((e) => e.uri));
      for (const e of abusive(events)) {
        expect(e.uri).toMatch(/^\/v1\/(customers|orders)\/\d+$/);
        expect(own.has(e.uri)).toBe(false);
        expect(localHour(e.startMs, key.tz_offset_min!)).toBeGreaterThanOrEqual(9);
        expect(localHour(e.startMs, key.tz_offset_min!)).toBeLessThan(19);
        expect([0, 6]).not.toContain(localWeekday(e.startMs, key.tz_offset_min!));
      }
    }
  });
});

describe('planted injection prober', () => {
  const keys = keysOf(truth, 'injection-prober');
  const SHAPE = /['"<>;]|--|\bOR\b|UNION|SELECT|SLEEP|\.\.\/|\$\{|\{\{/i;

  it('puts a quote, SQL, markup or traversal shape in a query parameter of every probe', () => {
    for (const key of keys) {
      const probes = abusive(eventsOf(run, key));
      expect(probes.length).toBeGreaterThan(50);
      for (const e of probes) expect(decoded(e.args).some((v) => SHAPE.test(v))).toBe(true);
    }
  });

  it('logs the values percent-encoded, as clients send them', () => {
    for (const key of keys) for (const e of abusive(eventsOf(run, key))) expect(e.args).not.toMatch(/[\s'"<>]/);
  });

  it('never has such shapes in the key\'s honest requests', () => {
    for (const key of keys) {
      for (const e of eventsOf(run, key).filter((x) => !x.abusive)) expect(decoded(e.args).some((v) => SHAPE.test(v))).toBe(false);
    }
  });

  it('sends a few an hour, around the clock, mostly answered 400', () => {
    for (const key of keys) {
      const probes = abusive(eventsOf(run, key));
      const hours = (truth.window.end_ms - key.attack_start_ms!) / HOUR;
      expect(probes.length / hours).toBeGreaterThanOrEqual(1);
      expect(probes.length / hours).toBeLessThanOrEqual(6);
      expect(peak(probes, HOUR)).toBeLessThanOrEqual(15);
      expect(new Set(probes.map((e) => Math.floor(localHour(e.startMs, key.tz_offset_min!)))).size).toBe(24);
      expect(probes.filter((e) => e.status === 400).length / probes.length).toBeGreaterThan(0.5);
    }
  });
});

describe('attack instances spread over days', () => {
  it('starts instance i of n on attack day + floor(i * spread / n)', () => {
    for (const kind of ['slow-scraper', 'new-key-scraper', 'injection-prober']) {
      const days = keysOf(truth, kind)
        .map((k) => Math.floor((k.attack_start_ms! - truth.window.start_ms) / DAY))
        .sort((a, b) => a - b);
      expect(days).toEqual([EXTENDED.attackDay, EXTENDED.attackDay + 1]);
    }
  });
});

describe('every planted attack against a per-key rate limit', () => {
  it('stays under the busiest honest key per minute and per hour', () => {
    const honest = truth.keys.filter((k) => !k.abusive);
    const attackers = truth.keys.filter((k) => k.abusive);
    expect(new Set(attackers.map((k) => k.persona)).size).toBe(8);
    for (const bucket of [MINUTE, HOUR]) {
      const limit = Math.max(...honest.map((k) => peak(eventsOf(run, k), bucket)));
      for (const k of attackers) expect(peak(eventsOf(run, k), bucket)).toBeLessThan(limit);
    }
  });
});
