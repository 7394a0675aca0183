/**
 * ROC AUC by ranks (the Mann-Whitney U statistic): the probability that a random positive scores
 * above a random negative, ties counting one half, which is what the average-rank formula gives.
 * Positives are label 1 (anomalies); a higher score means more anomalous.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (scores.length !== labels.length) throw new Error(`${scores.length} scores for ${labels.length} labels`);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) positives++;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) throw new Error('ROC AUC needs both labels present');
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  for (let i = 0, p = 0, n = 0; i < labels.length; i++) {
    const s = scores[i]!;
    if (Number.isNaN(s)) throw new Error(`score ${i} is NaN`);
    if (labels[i] === 1) pos[p++] = s;
    else neg[n++] = s;
  }
  // Typed-array sort is numeric and native: far faster than sorting index arrays with a comparator.
  pos.sort();
  neg.sort();
  let wins = 0;
  let below = 0;
  for (let p = 0; p < positives; ) {
    const s = pos[p]!;
    let same = 0;
    while (p + same < positives && pos[p + same] === s) same++;
    while (below < negatives && neg[below]! < s) below++;
    let ties = 0;
    while (below + ties < negatives && neg[below + ties] === s) ties++;
    wins += same * (below + ties / 2);
    p += same;
  }
  return wins / (positives * negatives);
}
