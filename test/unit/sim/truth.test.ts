import { describe, expect, it } from 'vitest';
import { week } from './week.js';

const DAY = 86_400_000;

describe('truth file', () => {
  const w = week();

  it('lists every key with a raw key, a persona and an abuse flag', () => {
    expect(w.truth.keys).toHaveLength(40);
    expect(new Set(w.truth.keys.map((k) => k.key)).size).toBe(40);
    for (const k of w.truth.keys) expect(k.key).toMatch(/^sk_live_[0-9A-Za-z]{24}$/);
  });

  it('lists exactly the planted keys as abusive, with their attack start', () => {
    const abusive = w.truth.keys.filter((k) => k.abusive);
    expect(abusive.map((k) => k.persona).sort()).toEqual(['deep-pager', 'new-key-scraper', 'shared-key', 'slow-scraper']);
    const attackDay = w.truth.window.start_ms + w.truth.options.attack_day * DAY;
    for (const k of abusive) {
      expect(k.attack_start_ms).toBeGreaterThanOrEqual(attackDay);
      // The deep pager waits for 22:00 in its own time zone, which may be the next UTC day.
      expect(k.attack_start_ms).toBeLessThan(attackDay + 2 * DAY);
      expect(k.attack?.networks.length).toBeGreaterThan(0);
    }
    for (const k of w.truth.keys.filter((x) => !x.abusive)) {
      expect(k.attack_start_ms).toBeNull();
      expect(k.attack).toBeNull();
    }
  });

  it('records the options the run used', () => {
    expect(w.truth.options).toMatchObject({ seed: 1, days: 7, keys: 40, attack_day: 3, start: '2026-11-02T00:00:00Z' });
    expect(w.truth.window.end_ms - w.truth.window.start_ms).toBe(7 * DAY);
  });

  it('names every key that appears in the log', () => {
    const known = new Set(w.truth.keys.map((k) => k.key));
    const seen = new Set(w.lines.map((l) => l.api_key).filter((k) => k !== ''));
    for (const k of seen) expect(known.has(k)).toBe(true);
    expect(seen.size).toBe(40);
  });
});
