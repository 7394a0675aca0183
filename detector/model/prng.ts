/**
 * Seeded PRNG for growing trees: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), seeded
 * through splitmix32. Chosen over Math.random so that the same seed gives the same forest on every
 * platform, and over a 64-bit generator because 32-bit integer arithmetic stays in V8's fast paths.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** @param seed any uint32; equal seeds give equal sequences. */
  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = 1;
    // sfc32's first outputs are correlated with the seed; its author discards a dozen.
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits of resolution, plenty for a split between a node's min and max. */
  nextFloat(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n) for n ≤ 2^32; the bias of the multiply is below n / 2^32. */
  nextInt(n: number): number {
    return Math.floor(this.nextFloat() * n);
  }
}
