/**
 * NGINX/Apache `$time_local`: `17/May/2015:10:05:03 +0000` (exactly 26 characters) to ms since
 * epoch. Hand-written so it is total and cheap: NaN for anything else, never an exception.
 */
import { civilToMs, digits } from './civil-time.js';

/** Month numbers by the three character codes of their names, packed into one integer. */
const MONTHS = new Map(
  ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map((name, i) => [
    name.charCodeAt(0) * 65_536 + name.charCodeAt(1) * 256 + name.charCodeAt(2),
    i + 1,
  ]),
);

const SLASH = 47;
const COLON = 58;
const SPACE = 32;

/** Parses `s.slice(from, to)`; NaN when it is not a valid CLF time. */
export function parseClfTime(s: string, from: number, to: number): number {
  if (to - from !== 26) return Number.NaN;
  // The fixed separators of dd/Mon/yyyy:HH:MM:SS ±zzzz.
  if (
    s.charCodeAt(from + 2) !== SLASH ||
    s.charCodeAt(from + 6) !== SLASH ||
    s.charCodeAt(from + 11) !== COLON ||
    s.charCodeAt(from + 14) !== COLON ||
    s.charCodeAt(from + 17) !== COLON ||
    s.charCodeAt(from + 20) !== SPACE
  ) {
    return Number.NaN;
  }
  const month = MONTHS.get(s.charCodeAt(from + 3) * 65_536 + s.charCodeAt(from + 4) * 256 + s.charCodeAt(from + 5));
  if (month === undefined) return Number.NaN;
  const sign = s.charCodeAt(from + 21);
  if (sign !== 43 && sign !== 45) return Number.NaN;
  const zh = digits(s, from + 22, 2);
  const zm = digits(s, from + 24, 2);
  if (zh < 0 || zm < 0 || zh > 23 || zm > 59) return Number.NaN;
  const offsetMs = (sign === 45 ? -1 : 1) * (zh * 60 + zm) * 60_000;
  const local = civilToMs(
    digits(s, from + 7, 4),
    month,
    digits(s, from, 2),
    digits(s, from + 12, 2),
    digits(s, from + 15, 2),
    digits(s, from + 18, 2),
    0,
  );
  const ms = local - offsetMs;
  return ms >= 0 ? ms : Number.NaN;
}
