/**
 * Threshold calibration by verdicts, the arithmetic alone. Each label (an analyst's verdict on an
 * alert) pushes a threshold by a step: up for a false positive, down for a true positive. A label's
 * weight halves every half-life and is forgotten below 1/16. A key's offset (per kind) sums its own
 * labels; a kind's offset sums the labels of every key of that kind, and counts only once the kind
 * has `kindMinLabels` labels remembered. Key and kind together move the threshold at most
 * `maxRaise` up and `maxLower` down, and never above `maxThreshold`: labels cannot switch detection
 * off. Since an offset is a sum over labels, taking a label back gives exactly the value it would
 * have without that label.
 */
import type { Config, Verdict } from '../../contracts/index.js';

export interface CalibrationOptions {
  /** @default 0.05 */
  keyStep: number;
  /** @default 0.01 */
  kindStep: number;
  /** @default 5 */
  kindMinLabels: number;
  /** @default 0.2 */
  maxRaise: number;
  /** @default 0.1 */
  maxLower: number;
  /** @default 0.9 */
  maxThreshold: number;
  /** Wall-clock ms. @default 30 days */
  halfLifeMs: number;
}

export function calibrationOptions(c: Config['detection']['calibration']): CalibrationOptions {
  return {
    keyStep: c.key_step,
    kindStep: c.kind_step,
    kindMinLabels: c.kind_min_labels,
    maxRaise: c.max_raise,
    maxLower: c.max_lower,
    maxThreshold: c.max_threshold,
    halfLifeMs: c.half_life_days * 86_400_000,
  };
}

/** What a label needs for the arithmetic. */
export interface Weighed {
  verdict: Verdict;
  /** Wall-clock ms the verdict was given. */
  at: number;
}

/** Below this weight (four half-lives) a label is forgotten. */
export const FORGOTTEN = 1 / 16;

/** A label's weight now: 1 when given, halving every half-life. A label from the future counts 1. */
export function weightOf(at: number, now: number, halfLifeMs: number): number {
  return now <= at ? 1 : 2 ** (-(now - at) / halfLifeMs);
}

export function remembered(l: Weighed, now: number, halfLifeMs: number): boolean {
  return weightOf(l.at, now, halfLifeMs) >= FORGOTTEN;
}

/** Sum of the labels' pushes: +step per false positive, -step per true positive, each weighed. */
export function offsetOf(labels: readonly Weighed[], step: number, now: number, halfLifeMs: number): number {
  let sum = 0;
  for (const l of labels) {
    const w = weightOf(l.at, now, halfLifeMs);
    if (w < FORGOTTEN) continue;
    sum += (l.verdict === 'false_positive' ? step : -step) * w;
  }
  return sum;
}

/** A kind's offset: nothing until it has enough labels remembered. */
export function kindOffsetOf(labels: readonly Weighed[], now: number, o: CalibrationOptions): number {
  let n = 0;
  for (const l of labels) if (remembered(l, now, o.halfLifeMs)) n++;
  return n < o.kindMinLabels ? 0 : offsetOf(labels, o.kindStep, now, o.halfLifeMs);
}

/** Key and kind offsets together, capped. */
export function combinedOffset(keyOffset: number, kindOffset: number, o: CalibrationOptions): number {
  return Math.min(o.maxRaise, Math.max(-o.maxLower, keyOffset + kindOffset));
}

/** The threshold used: the configured one moved by the capped offset, never above the ceiling. */
export function calibratedThreshold(base: number, offset: number, o: CalibrationOptions): number {
  const ceiling = Math.max(base, o.maxThreshold);
  return round(Math.min(ceiling, Math.max(0, base + offset)));
}

/** The lowest threshold any labels can give: windows scoring below it never alert. */
export function lowestThreshold(base: number, o: CalibrationOptions): number {
  return calibratedThreshold(base, -o.maxLower, o);
}

/** Thresholds are compared with scores rounded the same way (4 decimals), so 0.6 + 0.05 is 0.65. */
export const round = (x: number) => Math.round(x * 10_000) / 10_000;
