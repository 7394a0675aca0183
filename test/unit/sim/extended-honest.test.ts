import { describe, expect, it } from 'vitest';
import { AGENT_UPGRADES } from '../../sim/drift.js';
import type { SimEvent } from '../../sim/event.js';
import {
  DAY,
  HOUR,
  MINUTE,
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
const dayOf = (ms: number): number => Math.floor((ms - truth.window.start_ms) / DAY);
const peak = (events: SimEvent[], bucket: number): number => Math.max(0, ...perBucket(events, bucket).values());

describe('extended population', () => {
  it('adds back-office, heavy-user, poller and onboarding keys to the classic personas', () => {
    const count = (p: string): number => keysOf(truth, p).length;
    expect(count('back-office')).toBe(10);
    expect(count('heavy-user')).toBe(1);
    expect(count('poller')).toBe(5);
    expect(count('onboarding')).toBe(5);
    expect(count('nightly-batch')).toBeGreaterThan(0);
    expect(count('business-hours')).toBeGreaterThan(30);
    expect(truth.options.population).toBe('extended');
  });
});

describe('back-office keys', () => {
  const keys = keysOf(truth, 'back-office');

  it('work Monday to Friday, 09:00-18:30 in their own time zone', () => {
    for (const key of keys) {
      const events = eventsOf(run, key);
      expect(events.length).toBeGreaterThan(50);
      for (const e of events) {
        const tz = key.tz_offset_min!;
        expect(localWeekday(e.startMs, tz)).toBeGreaterThanOrEqual(1);
        expect(localWeekday(e.startMs, tz)).toBeLessThanOrEqual(5);
        expect(localHour(e.startMs, tz)).toBeGreaterThanOrEqual(9);
        expect(localHour(e.startMs, tz)).toBeLessThan(18.5);
      }
    }
  });

  it('are used by people in browsers, most keys by several', () => {
    const agents = keys.map((k) => new Set(eventsOf(run, k).map((e) => e.userAgent)));
    for (const set of agents) for (const ua of set) expect(ua).toMatch(/^Mozilla\/5\.0 /);
    expect(agents.filter((s) => s.size >= 2).length / keys.length).toBeGreaterThanOrEqual(0.7);
  });

  it('revisit the customers of their own cases', () => {
    for (const key of keys) {
      const ids = eventsOf(run, key)
        .filter((e) => /^\/v\d\/customers\/\d+$/.test(e.uri))
        .map((e) => idOf(e.uri));
      if (ids.length < 100) continue;
      expect(new Set(ids).size / ids.length).toBeLessThan(0.6);
    }
  });

  it('search customers by name, some names with an apostrophe (encoded)', () => {
    const searches = keys.flatMap((k) => eventsOf(run, k)).filter((e) => e.args.startsWith('q='));
    expect(searches.length).toBeGreaterThan(100);
    expect(searches.some((e) => e.args.includes('%27'))).toBe(true);
    for (const e of searches) expect(e.args).not.toMatch(/['\s]/);
  });
});

describe('heavy users', () => {
  const [key] = keysOf(truth, 'heavy-user');
  const events = eventsOf(run, key!);

  it('send thousands of requests a workday, around the clock', () => {
    const days = perBucket(events.filter((e) => [1, 2, 3, 4, 5].includes(new Date(e.endMs).getUTCDay())), DAY);
    for (const n of days.values()) expect(n).toBeGreaterThan(2000);
    expect(perBucket(events, HOUR).size).toBe(truth.options.days * 24);
  });

  it('are busier in their peak hour than any business-hours key', () => {
    const business = keysOf(truth, 'business-hours').map((k) => peak(eventsOf(run, k), HOUR));
    expect(peak(events, HOUR)).toBeGreaterThan(Math.max(...business));
  });
});

describe('pollers', () => {
  const keys = keysOf(truth, 'poller');

  it('poll for changes at a fixed interval of 1-15 minutes, a couple of seconds of jitter, around the clock', () => {
    for (const key of keys) {
      const polls = eventsOf(run, key).filter((e) => e.args.startsWith('updated_since='));
      const gaps = polls.slice(1).map((p, i) => p.startMs - polls[i]!.startMs);
      const interval = Math.round(gaps[0]! / MINUTE) * MINUTE;
      expect([1, 2, 5, 10, 15].map((m) => m * MINUTE)).toContain(interval);
      for (const g of gaps) expect(Math.abs(g - interval)).toBeLessThanOrEqual(2_000);
      expect(perBucket(polls, HOUR).size).toBe(truth.options.days * 24);
    }
  });

  it('then read the orders that changed', () => {
    for (const key of keys) {
      const events = eventsOf(run, key);
      expect(events.some((e) => /^\/v\d\/orders\/\d+$/.test(e.uri))).toBe(true);
    }
  });
});

describe('keys onboarded mid-period', () => {
  const keys = keysOf(truth, 'onboarding');

  it('appear after the first day: a developer first, then servers from the next workday', () => {
    for (const key of keys) {
      const events = eventsOf(run, key);
      const first = dayOf(events[0]!.startMs);
      expect(first).toBeGreaterThanOrEqual(1);
      const dev = events.filter((e) => dayOf(e.startMs) === first);
      const later = events.filter((e) => dayOf(e.startMs) > first);
      expect(dev.length).toBeGreaterThanOrEqual(10);
      expect(new Set(dev.map((e) => e.userAgent)).size).toBe(1);
      expect(dev[0]!.userAgent).toMatch(/^(PostmanRuntime|curl|insomnia|python-requests)\//);
      if (later.length === 0) continue; // issued on the last days of the run
      const devNets = new Set(dev.map((e) => network(e.remoteAddr)));
      for (const e of later) expect(devNets.has(network(e.remoteAddr))).toBe(false);
    }
    expect(keys.filter((k) => eventsOf(run, k).some((e) => dayOf(e.startMs) > dayOf(eventsOf(run, k)[0]!.startMs))).length).toBeGreaterThan(2);
  });

  it('some start with a one-off sync of the whole catalogue, limit=100 to the last page', () => {
    const syncs = keys
      .map((k) => eventsOf(run, k).filter((e) => e.uri === '/v1/products' && e.args.endsWith('limit=100')))
      .filter((s) => s.length > 0);
    expect(syncs.length).toBeGreaterThan(0);
    for (const s of syncs) {
      expect(s.map((e) => Number(new URLSearchParams(e.args).get('page')))).toEqual(s.map((_e, i) => i + 1));
      expect(s.length).toBe(120);
      expect(s[s.length - 1]!.endMs - s[0]!.startMs).toBeLessThan(HOUR);
    }
  });
});

describe('honest drift', () => {
  const driftStart = truth.window.start_ms + truth.drift!.day * DAY;
  const honest = truth.keys.filter((k) => !k.abusive);
  const detail = /^\/v(\d)\/(customers|orders)\/\d+$/;

  it('never calls /v2 before the drift day', () => {
    for (const key of truth.keys) {
      for (const e of eventsOf(run, key)) if (e.uri.startsWith('/v2/')) expect(e.startMs).toBeGreaterThanOrEqual(driftStart);
    }
  });

  it('moves most keys that read records to /v2 within days of it', () => {
    const lastDays = truth.window.end_ms - 3 * DAY;
    const readers = honest.filter((k) => eventsOf(run, k).some((e) => e.startMs < driftStart && detail.test(e.uri)));
    const moved = readers.filter((k) => {
      const late = eventsOf(run, k).filter((e) => e.startMs >= lastDays && detail.test(e.uri));
      return late.length > 0 && late.filter((e) => e.uri.startsWith('/v2/')).length / late.length > 0.5;
    });
    expect(readers.length).toBeGreaterThan(40);
    expect(moved.length / readers.length).toBeGreaterThan(0.5);
  });

  it('changes many keys\' user agents on the same day with a library upgrade, and none before', () => {
    const upgradeDay = truth.drift!.agent_upgrade_day_ms;
    const upgraded = AGENT_UPGRADES.map(([, to]) => to);
    const old = AGENT_UPGRADES.map(([from]) => from);
    const candidates = honest.filter((k) => eventsOf(run, k).some((e) => e.startMs < upgradeDay && old.some((o) => e.userAgent.includes(o))));
    const firstUpgraded = candidates.map((k) => eventsOf(run, k).find((e) => upgraded.some((u) => e.userAgent.includes(u)))?.startMs);
    for (const t of firstUpgraded) if (t !== undefined) expect(t).toBeGreaterThanOrEqual(upgradeDay);
    const sameDay = firstUpgraded.filter((t) => t !== undefined && t < upgradeDay + DAY);
    expect(candidates.length).toBeGreaterThan(30);
    expect(sameDay.length / candidates.length).toBeGreaterThan(0.4);
  });
});
