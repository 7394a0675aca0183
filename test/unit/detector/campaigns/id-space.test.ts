import { describe, expect, it } from 'vitest';
import { IdSpace } from '../../../../detector/campaigns/id-space.js';
import { newSketch, sketchAddHash, type CoverageSketch } from '../../../../detector/profiles/coverage-sketch.js';
import { objectHash } from '../../../../detector/profiles/object-sketch.js';

const DAY = 20_400;
const ROUTE = '/v*/accounts/{int}';

function read(from: number, n: number): CoverageSketch {
  const s = newSketch(DAY);
  for (let i = 0; i < n; i++) sketchAddHash(s, objectHash(ROUTE, from + i), DAY);
  return s;
}

/** `n` keys with the given shares, sampled today. */
function space(shares: number[]): IdSpace {
  const x = new IdSpace();
  x.absorb(ROUTE, read(1, 20_000));
  shares.forEach((share, i) => x.sampleCoverage(ROUTE, `k${i}`, share, DAY));
  return x;
}

describe('population id spaces', () => {
  it("measure a key's share of what all keys read, the key's own reads counted in", () => {
    const x = new IdSpace();
    x.absorb(ROUTE, read(1, 9_000));
    const c = x.coverage(ROUTE, read(9_001, 3_000), DAY);
    expect(c.share).toBeGreaterThan(0.2);
    expect(c.share).toBeLessThan(0.3);
    expect(c.space).toBeGreaterThan(c.own);
  });

  it('hold a key against the other keys, never against itself', () => {
    // 60 keys reading 0.1-0.7 %, and a scraper at 30 %.
    const x = space([...Array.from({ length: 60 }, (_v, i) => 0.001 + i * 0.0001), 0.3]);
    const forScraper = x.reference(ROUTE, new Set(['k60']), DAY);
    expect(forScraper.keys).toBe(61);
    expect(forScraper.value).toBeCloseTo(0.0069, 6);
    expect(forScraper.q).toBeCloseTo(1 - 1 / 61, 6);
    // Everyone else is held against the scraper until it alerts and leaves the list.
    expect(x.reference(ROUTE, new Set(['k0']), DAY).value).toBe(0.3);
    x.forget('k60');
    expect(x.reference(ROUTE, new Set(['k0']), DAY).value).toBeCloseTo(0.0069, 6);
    // A campaign is held against everyone but its members.
    expect(x.reference(ROUTE, new Set(['k59', 'k58']), DAY).value).toBeCloseTo(0.0067, 6);
  });

  it('give no bar where there is no other key, and the 99th percentile from the list with up to 64 keys', () => {
    expect(space([0.5]).reference(ROUTE, new Set(['k0']), DAY).value).toBe(0);
    const x = space(Array.from({ length: 64 }, (_v, i) => (i + 1) / 1000));
    // 64 keys: the 99th percentile is the largest of the 63 others.
    expect(x.reference(ROUTE, new Set(['k63']), DAY).value).toBe(0.063);
  });

  it('use the histogram beyond the keys it names, and drop shares two days old', () => {
    const many = space(Array.from({ length: 1000 }, (_v, i) => (i + 1) / 100_000));
    const ref = many.reference(ROUTE, new Set(['none']), DAY);
    expect(ref.q).toBeCloseTo(0.99, 3);
    // Upper edge of the log bucket holding the 99th percentile of 0.001 %..1 %.
    expect(ref.value).toBeGreaterThan(0.0098);
    expect(ref.value).toBeLessThan(0.0125);
    const x = space([0.01, 0.02, 0.03]);
    expect(x.reference(ROUTE, new Set(), DAY + 2).value).toBe(0);
  });

  it('come back the same from their stored form', () => {
    const x = space([0.01, 0.02, 0.03, 0.2]);
    x.sampleDistinct24h(1200);
    const back = IdSpace.fromJSON(JSON.parse(JSON.stringify(x.toJSON())));
    expect(back.reference(ROUTE, new Set(['k3']), DAY)).toEqual(x.reference(ROUTE, new Set(['k3']), DAY));
    expect(back.coverage(ROUTE, read(1, 500), DAY)).toEqual(x.coverage(ROUTE, read(1, 500), DAY));
    expect(back.distinct24hQuantile(0.5)).toEqual(x.distinct24hQuantile(0.5));
  });
});
