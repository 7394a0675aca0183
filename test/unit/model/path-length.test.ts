import { describe, expect, it } from 'vitest';
import { averagePathLength } from '../../../detector/model/index.js';
import { harmonic } from '../../../detector/model/path-length.js';

describe('averagePathLength c(n)', () => {
  it('is 0 for n ≤ 1, exactly 1 for two rows, and 2H(n-1) - 2(n-1)/n beyond', () => {
    expect(averagePathLength(0)).toBe(0);
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    expect(averagePathLength(3)).toBeCloseTo(2 * 1.5 - 4 / 3, 14);
    // c(256), the normaliser for ψ = 256 (the paper's ln(i) + γ for H(i) gives 10.2448).
    let h255 = 0;
    for (let k = 1; k <= 255; k++) h255 += 1 / k;
    expect(averagePathLength(256)).toBeCloseTo(2 * h255 - (2 * 255) / 256, 12);
    expect(averagePathLength(256)).toBeCloseTo(10.2487, 4);
  });

  it('keeps the harmonic series continuous where exact sums give way to the asymptotic series', () => {
    let exact = 0;
    for (let k = 1; k <= 5000; k++) {
      exact += 1 / k;
      if (k >= 10 && k % 7 === 0) expect(harmonic(k)).toBeCloseTo(exact, 10);
    }
  });

  it('grows with n', () => {
    for (let n = 2; n < 2000; n++) expect(averagePathLength(n + 1)).toBeGreaterThan(averagePathLength(n));
  });
});
