import { describe, expect, it } from 'vitest';
import { rocAuc } from '../../support/roc-auc.js';

/** Reference: compare every positive with every negative, ties counting one half. */
function pairwise(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] === 1) continue;
      pairs++;
      wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

describe('rocAuc (test support)', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one and 0.5 when every score ties', () => {
    expect(rocAuc([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0])).toBe(1);
    expect(rocAuc([0.1, 0.2, 0.9, 0.8], [1, 1, 0, 0])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5], [1, 0, 0])).toBe(0.5);
  });

  it('matches the pairwise definition with many ties', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let trial = 0; trial < 20; trial++) {
      const scores = Array.from({ length: 200 }, () => Math.round(next() * 10) / 10);
      const labels = scores.map((s) => (next() < 0.3 + s / 3 ? 1 : 0));
      expect(rocAuc(scores, labels)).toBeCloseTo(pairwise(scores, labels), 12);
    }
  });
});
