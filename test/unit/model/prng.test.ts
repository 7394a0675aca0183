import { describe, expect, it } from 'vitest';
import { Prng } from '../../../detector/model/prng.js';

describe('Prng', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const a = new Prng(5);
    const b = new Prng(5);
    const c = new Prng(6);
    const seqA = Array.from({ length: 20 }, () => a.nextU32());
    expect(Array.from({ length: 20 }, () => b.nextU32())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.nextU32())).not.toEqual(seqA);
  });

  it('draws floats in [0, 1) and integers in [0, n) roughly uniformly', () => {
    const rng = new Prng(1);
    const counts = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng.nextFloat();
      if (!(x >= 0 && x < 1)) outside++;
      counts[rng.nextInt(10)]!++;
    }
    expect(outside).toBe(0);
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });
});
