/**
 * The detector's anomaly model: our own Isolation Forest (Liu, Ting & Zhou, ICDM 2008). It is
 * fitted on the population's feature windows, scores each closed window in (0, 1] (near 1: isolated
 * in few random splits, an anomaly), names the features that isolated a window for the alert's
 * reasons, and is saved and loaded as versioned bytes. Trees grow on seeded subsamples of ψ rows
 * (default 256) up to ceil(log2 ψ) deep and live flat in typed arrays, so fitting 100 trees takes
 * milliseconds and scoring allocates nothing. Missing values (NaN) never choose a split and follow
 * the side that took more training rows, so a missing feature makes a window look typical; a
 * feature that is constant within a node is never split on.
 */
export { IsolationForest, type Rows } from './isolation-forest.js';
export type { IsolationForestOptions } from './options.js';
export { topFeatures } from './explain.js';
export { averagePathLength } from './path-length.js';
export { FORMAT_VERSION } from './serialize.js';
export { ModelError, MODEL_ERRORS, type ModelErrorCode } from './errors.js';
