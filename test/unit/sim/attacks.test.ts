import { describe, expect, it } from 'vitest';
import { endMs, keyOf, linesOf, network, perBucket, startMs, week, type Line } from './week.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

function idOf(line: Line): number {
  return Number(line.uri.split('/').pop());
}

/** Gaps between consecutive request starts stay within [min, max] seconds. */
function expectGaps(lines: Line[], min: number, max: number): void {
  const gaps = lines.slice(1).map((l, i) => (startMs(l) - startMs(lines[i]!)) / 1000);
  expect(Math.min(...gaps)).toBeGreaterThanOrEqual(min);
  expect(Math.max(...gaps)).toBeLessThanOrEqual(max);
}

function expectSequential(lines: Line[]): void {
  expect(lines.length).toBeGreaterThan(100);
  for (let i = 1; i < lines.length; i++) expect(idOf(lines[i]!)).toBe(idOf(lines[i - 1]!) + 1);
}

describe('planted slow scraper', () => {
  const w = week();
  const key = keyOf(w.truth, 'slow-scraper');
  const lines = linesOf(w, key);
  const fromAttacker = (l: Line): boolean =>
    key.attack!.user_agents.includes(l.user_agent) && key.attack!.networks.includes(network(l.remote_addr));
  const scraping = lines.filter(fromAttacker);

  it('behaves like a business-hours integration before the attack', () => {
    const before = lines.filter((l) => startMs(l) < key.attack_start_ms!);
    expect(before.length).toBeGreaterThan(20);
    expect(before.some(fromAttacker)).toBe(false);
  });

  it('walks /v1/customers/{int} sequentially from a new network and agent after the attack starts', () => {
    expect(startMs(scraping[0]!)).toBe(key.attack_start_ms);
    for (const l of scraping) expect(l.uri).toMatch(/^\/v1\/customers\/\d+$/);
    expectSequential(scraping);
  });

  it('keeps its honest traffic going during the attack', () => {
    expect(lines.filter((l) => !fromAttacker(l) && startMs(l) >= key.attack_start_ms!).length).toBeGreaterThan(10);
  });

  it('starts a request every 30-90 s', () => {
    expectGaps(scraping, 30, 90);
  });

  it('stays under 150 requests an hour but scrapes around the clock', () => {
    const hours = perBucket(scraping, HOUR);
    expect(Math.max(...hours.values())).toBeLessThan(150);
    // Every full hour after the start, night ones included, has scraping.
    const first = Math.ceil(key.attack_start_ms! / HOUR) * HOUR;
    for (let h = first; h < w.truth.window.end_ms; h += HOUR) expect(hours.get(h) ?? 0).toBeGreaterThanOrEqual(35);
  });
});

describe('planted new-key scraper', () => {
  const w = week();
  const key = keyOf(w.truth, 'new-key-scraper');
  const lines = linesOf(w, key);

  it('is first seen at its attack start, on the attack day', () => {
    const attackDay = w.truth.window.start_ms + w.truth.options.attack_day * 24 * HOUR;
    expect(startMs(lines[0]!)).toBe(key.attack_start_ms);
    expect(key.attack_start_ms).toBeGreaterThanOrEqual(attackDay);
    expect(key.attack_start_ms).toBeLessThan(attackDay + 24 * HOUR);
  });

  it('walks /v1/orders/{int} sequentially under 150 an hour', () => {
    for (const l of lines) expect(l.uri).toMatch(/^\/v1\/orders\/\d+$/);
    expectSequential(lines);
    expectGaps(lines, 25, 75);
    expect(Math.max(...perBucket(lines, HOUR).values())).toBeLessThan(150);
  });
});

describe('planted deep pager', () => {
  const w = week();
  const key = keyOf(w.truth, 'deep-pager');
  const lines = linesOf(w, key).filter((l) => l.uri === '/v1/customers');
  const params = (l: Line): URLSearchParams => new URLSearchParams(l.args);
  const deep = lines.filter((l) => params(l).get('limit') === '500');

  it('pages /v1/customers only up to page 5 with limit <= 50 before the attack', () => {
    const before = lines.filter((l) => startMs(l) < key.attack_start_ms!);
    expect(before.length).toBeGreaterThanOrEqual(3);
    for (const l of before) {
      expect(Number(params(l).get('page'))).toBeLessThanOrEqual(5);
      expect(Number(params(l).get('limit'))).toBeLessThanOrEqual(50);
    }
  });

  it('then pages limit=500 from page 1 to several hundred, one page after another', () => {
    expect(startMs(deep[0]!)).toBe(key.attack_start_ms);
    const pages = deep.map((l) => Number(params(l).get('page')));
    expect(pages).toEqual(pages.map((_p, i) => i + 1));
    expect(pages.length).toBeGreaterThan(300);
  });

  it('pages slowly, one page at a time, in night windows of at most 8 hours', () => {
    expect(Math.max(...perBucket(deep, HOUR).values())).toBeLessThanOrEqual(30);
    expect(Math.max(...perBucket(deep, MINUTE).values())).toBe(1);
    // Split into nights at pauses of more than 4 hours.
    const nights: Line[][] = [];
    deep.forEach((l, i) => {
      if (i === 0 || endMs(l) - endMs(deep[i - 1]!) > 4 * HOUR) nights.push([]);
      nights[nights.length - 1]!.push(l);
    });
    expect(nights.length).toBeGreaterThanOrEqual(2);
    for (const night of nights) expect(endMs(night[night.length - 1]!) - startMs(night[0]!)).toBeLessThanOrEqual(8 * HOUR + 5 * MINUTE);
  });
});

describe('planted shared key', () => {
  const w = week();
  const key = keyOf(w.truth, 'shared-key');
  const lines = linesOf(w, key);
  const before = lines.filter((l) => startMs(l) < key.attack_start_ms!);
  const after = lines.filter((l) => startMs(l) >= key.attack_start_ms!);

  it('comes from one or two networks with its own agents before the attack', () => {
    expect(new Set(before.map((l) => network(l.remote_addr))).size).toBeLessThanOrEqual(2);
    expect(new Set(before.map((l) => l.user_agent)).size).toBeLessThanOrEqual(2);
  });

  it('comes from many new networks with varied agents after it', () => {
    const old = new Set(before.map((l) => network(l.remote_addr)));
    const fresh = new Set(after.map((l) => network(l.remote_addr)).filter((n) => !old.has(n)));
    expect(fresh.size).toBeGreaterThanOrEqual(15);
    expect(new Set(after.map((l) => l.user_agent)).size).toBeGreaterThanOrEqual(5);
  });
});

describe('planted attackers against a per-key rate limit', () => {
  const w = week();
  const peak = (key: string, bucket: number): number =>
    Math.max(...perBucket(w.lines.filter((l) => l.api_key === key), bucket).values());

  it('never exceed the busiest honest key per minute or per hour', () => {
    const honest = w.truth.keys.filter((k) => !k.abusive && k.persona !== 'low-traffic');
    const abusive = w.truth.keys.filter((k) => k.abusive);
    expect(abusive).toHaveLength(4);
    for (const bucket of [MINUTE, HOUR]) {
      const limit = Math.max(...honest.map((k) => peak(k.key, bucket)));
      for (const k of abusive) expect(peak(k.key, bucket)).toBeLessThan(limit);
    }
  });
});
