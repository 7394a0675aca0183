/**
 * c(n), the average path length of an unsuccessful search in a binary search tree of n points
 * (Liu, Ting & Zhou 2008, eq. 1). It normalises scores and estimates the depth still unbuilt below a
 * leaf that holds more than one training row.
 */
const EULER_GAMMA = 0.5772156649015329;

/** H(i), the i-th harmonic number. */
export function harmonic(i: number): number {
  // The paper's ln(i) + γ is 0.42 short at i = 1, which would make c(2) = 0.15 instead of 1;
  // exact sums for small i and the asymptotic series beyond keep every leaf size accurate.
  if (i < 16) {
    let h = 0;
    for (let k = 1; k <= i; k++) h += 1 / k;
    return h;
  }
  const inv2 = 1 / (i * i);
  return Math.log(i) + EULER_GAMMA + 0.5 / i - inv2 / 12 + (inv2 * inv2) / 120;
}

/** c(n) = 2 H(n - 1) - 2 (n - 1) / n, and 0 for n ≤ 1. */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  return 2 * harmonic(n - 1) - (2 * (n - 1)) / n;
}
