import { describe, expect, it } from 'vitest';
import { endMs, linesOf, network, perBucket, week } from './week.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe('nightly batch keys', () => {
  const w = week();
  const batches = w.truth.keys.filter((k) => k.persona === 'nightly-batch');

  it('exist in the default week', () => {
    expect(batches.length).toBeGreaterThanOrEqual(2);
  });

  it('send about the same volume every night (coefficient of variation < 5 %)', () => {
    for (const key of batches) {
      const nights = [...perBucket(linesOf(w, key), DAY).values()];
      expect(nights).toHaveLength(w.truth.options.days);
      const mean = nights.reduce((a, b) => a + b, 0) / nights.length;
      const sd = Math.sqrt(nights.reduce((a, b) => a + (b - mean) ** 2, 0) / nights.length);
      expect(mean).toBeGreaterThan(150);
      expect(sd / mean).toBeLessThan(0.05);
    }
  });

  it('page their list to the same depth every night, within 10 %', () => {
    for (const key of batches) {
      const depth = new Map<number, number>();
      for (const l of linesOf(w, key)) {
        const page = Number(new URLSearchParams(l.args).get('page') ?? 0);
        const night = Math.floor(endMs(l) / DAY);
        depth.set(night, Math.max(depth.get(night) ?? 0, page));
      }
      const depths = [...depth.values()].sort((a, b) => a - b);
      const median = depths[Math.floor(depths.length / 2)]!;
      expect(median).toBeGreaterThan(5);
      for (const d of depths) expect(Math.abs(d - median)).toBeLessThanOrEqual(Math.ceil(median * 0.1));
    }
  });

  it('run as one burst at the same time of night', () => {
    for (const key of batches) {
      const byNight = new Map<number, number[]>();
      for (const l of linesOf(w, key)) {
        const t = endMs(l);
        const night = Math.floor(t / DAY) * DAY;
        byNight.set(night, [...(byNight.get(night) ?? []), t - night]);
      }
      const starts = [...byNight.values()].map((ts) => Math.min(...ts));
      expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(10 * 60_000);
      for (const ts of byNight.values()) expect(Math.max(...ts) - Math.min(...ts)).toBeLessThan(HOUR);
    }
  });
});

describe('business-hours keys', () => {
  const w = week();
  const keys = w.truth.keys.filter((k) => k.persona === 'business-hours');

  it('stay quiet on the weekend (beyond the Friday evening of western time zones)', () => {
    const saturday = w.truth.window.start_ms + 5 * DAY;
    for (const key of keys) {
      for (const l of linesOf(w, key)) expect(endMs(l) < saturday + 4 * HOUR || endMs(l) >= saturday + 2 * DAY).toBe(true);
    }
  });

  it('page lists no deeper than page 5 and keep to their own one or two networks', () => {
    for (const key of keys) {
      const lines = linesOf(w, key);
      expect(new Set(lines.map((l) => network(l.remote_addr))).size).toBeLessThanOrEqual(2);
      for (const l of lines) {
        const page = new URLSearchParams(l.args).get('page');
        if (page) expect(Number(page)).toBeLessThanOrEqual(5);
      }
    }
  });

  it('re-read a working set rather than walking ids', () => {
    for (const key of keys) {
      const ids = linesOf(w, key)
        .filter((l) => /^\/v1\/customers\/\d+$/.test(l.uri))
        .map((l) => Number(l.uri.split('/').pop()));
      if (ids.length < 50) continue;
      const steps = ids.slice(1).filter((id, i) => id === ids[i]! + 1).length;
      expect(steps / ids.length).toBeLessThan(0.05);
      expect(new Set(ids).size).toBeLessThan(ids.length);
    }
  });
});

describe('mobile backend key', () => {
  const w = week();
  const key = w.truth.keys.find((k) => k.persona === 'mobile-backend')!;

  it('sends traffic in every hour of the week from a stable set of networks', () => {
    const lines = linesOf(w, key);
    expect(perBucket(lines, HOUR).size).toBe(w.truth.options.days * 24);
    const firstDay = new Set(lines.filter((l) => endMs(l) < w.truth.window.start_ms + DAY).map((l) => network(l.remote_addr)));
    for (const l of lines) expect(firstDay.has(network(l.remote_addr))).toBe(true);
  });
});
