import type { Rng } from './prng.js';

/**
 * Zipf-like popularity over ranks 1..n: rank 1 is read most, the tail rarely. Sampled in
 * O(1) by inverting the continuous power law x^-s, which is close enough to discrete Zipf
 * for traffic shapes and needs no table, even for n in the millions.
 */
export class Zipf {
  private readonly span: number;

  /**
   * @param n number of ranks
   * @param s exponent; about 1 for web-like popularity, higher for a tighter head
   */
  constructor(
    readonly n: number,
    readonly s: number,
  ) {
    this.span = Math.abs(1 - s) < 1e-9 ? Math.log(n + 1) : Math.pow(n + 1, 1 - s) - 1;
  }

  /** A rank in 1..n. */
  rank(rng: Rng): number {
    const u = rng.next();
    const x = Math.abs(1 - this.s) < 1e-9 ? Math.exp(u * this.span) : Math.pow(1 + u * this.span, 1 / (1 - this.s));
    return Math.min(this.n, Math.max(1, Math.floor(x)));
  }

  /** A member of `items`, the first ones most often. */
  pick<T>(rng: Rng, items: readonly T[]): T {
    const i = Math.min(items.length, this.rank(rng)) - 1;
    const item = items[i];
    if (item === undefined) throw new RangeError('Zipf.pick() from an empty list');
    return item;
  }
}
