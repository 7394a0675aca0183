/**
 * Accuracy against the paper: Liu, Ting & Zhou (ICDM 2008) Table 3 reports iForest's ROC AUC with
 * 100 trees and ψ = 256, trained on the whole data set and scored on it. We do the same with one
 * fixed seed and allow 0.03 below the paper's two-digit figure. A single seed varies: over ten
 * seeds forestcover spreads ±0.026 and satellite ±0.019 (scikit-learn shows the same spread, see
 * reference-auc/sklearn_1.2.1_measured_here.csv); `npm run bench:model` prints the mean over seeds.
 * Every set is used whole (http: 567k rows), which takes a few seconds in all.
 */
import { describe, expect, it } from 'vitest';
import { IsolationForest } from '../../../detector/model/index.js';
import { ifPaperSets, loadOddsSet, PAPER_AUC } from '../../support/odds-data.js';
import { rocAuc } from '../../support/roc-auc.js';

const sets = ifPaperSets();

describe.skipIf(sets.length === 0)('accuracy on the Isolation Forest paper data sets', () => {
  it.each(sets)('%s reaches the paper AUC - 0.03', (name) => {
    const paper = PAPER_AUC[name];
    expect(paper, `no paper AUC for ${name}`).toBeDefined();
    const set = loadOddsSet(name);
    const model = IsolationForest.fit(set.data, set.features, { trees: 100, sampleSize: 256, seed: 1 });
    const auc = rocAuc(model.score(set.data), set.labels);
    expect(auc).toBeGreaterThanOrEqual(paper! - 0.03);
  });
});
