import { describe, expect, it } from 'vitest';
import { Rng } from '../../sim/prng.js';
import { Zipf } from '../../sim/zipf.js';

describe('Rng', () => {
  it('repeats a stream for the same seed and labels', () => {
    const a = Rng.from(1, 'key', 3);
    const b = Rng.from(1, 'key', 3);
    for (let i = 0; i < 100; i++) expect(a.uint32()).toBe(b.uint32());
  });

  it('gives independent streams for different labels', () => {
    const a = Rng.from(1, 'key', 3);
    const b = Rng.from(1, 'key', 4);
    const same = Array.from({ length: 100 }, () => a.uint32() === b.uint32()).filter(Boolean);
    expect(same.length).toBeLessThan(2);
  });

  it('draws integers from both ends of an inclusive range and nothing outside', () => {
    const rng = Rng.from(2, 'int');
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(rng.int(3, 7));
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('has a uniform mean near 0.5', () => {
    const rng = Rng.from(3, 'mean');
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += rng.next();
    expect(sum / 20_000).toBeCloseTo(0.5, 1);
  });
});

describe('Zipf', () => {
  it('stays within 1..n and favours the head', () => {
    const zipf = new Zipf(1000, 1.1);
    const rng = Rng.from(4, 'zipf');
    let head = 0;
    for (let i = 0; i < 10_000; i++) {
      const r = zipf.rank(rng);
      expect(r).toBeGreaterThanOrEqual(1);
      expect(r).toBeLessThanOrEqual(1000);
      if (r <= 10) head++;
    }
    // Ranks 1-10 are 1 % of the set but draw far more than 1 % of the reads.
    expect(head / 10_000).toBeGreaterThan(0.3);
  });
});
