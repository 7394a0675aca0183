/**
 * Envoy `%START_TIME%`: ISO 8601 `2019-02-12T18:37:42.921Z` (any number of fraction digits,
 * `Z`, `±HH:MM`, `±HHMM` or no zone = UTC) to ms since epoch. NaN for anything else.
 */
import { civilToMs, digits } from './civil-time.js';

// Offsets of the fixed separators in yyyy-mm-ddTHH:MM:SS.
const SEPARATORS = [[4, 45], [7, 45], [13, 58], [16, 58]] as const;

/** Parses `s.slice(from, to)`; NaN when it is not an ISO 8601 date-time. */
export function parseIsoTime(s: string, from: number, to: number): number {
  if (to - from < 19 || to - from > 40) return Number.NaN;
  for (const [at, code] of SEPARATORS) if (s.charCodeAt(from + at) !== code) return Number.NaN;
  const sep = s.charCodeAt(from + 10);
  if (sep !== 84 && sep !== 116 && sep !== 32) return Number.NaN; // T, t or a space
  let i = from + 19;
  let ms = 0;
  if (i < to && (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44)) {
    // Keep milliseconds, drop finer digits (Envoy may log up to nanoseconds).
    i++;
    const start = i;
    while (i < to && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    const n = i - start;
    if (n === 0) return Number.NaN;
    ms = digits(s, start, Math.min(n, 3)) * (n === 1 ? 100 : n === 2 ? 10 : 1);
  }
  let offsetMs = 0;
  if (i < to) {
    const z = s.charCodeAt(i);
    if (z === 90 || z === 122) {
      i++;
    } else if (z === 43 || z === 45) {
      const zh = digits(s, i + 1, 2);
      const colon = s.charCodeAt(i + 3) === 58 ? 1 : 0;
      const zm = digits(s, i + 3 + colon, 2);
      if (zh < 0 || zm < 0 || zh > 23 || zm > 59) return Number.NaN;
      offsetMs = (z === 45 ? -1 : 1) * (zh * 60 + zm) * 60_000;
      i += 5 + colon;
    } else {
      return Number.NaN;
    }
  }
  if (i !== to) return Number.NaN;
  const utc = civilToMs(
    digits(s, from, 4),
    digits(s, from + 5, 2),
    digits(s, from + 8, 2),
    digits(s, from + 11, 2),
    digits(s, from + 14, 2),
    digits(s, from + 17, 2),
    ms,
  );
  const t = utc - offsetMs;
  return t >= 0 ? t : Number.NaN;
}
