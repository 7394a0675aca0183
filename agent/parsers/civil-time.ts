/**
 * Calendar fields to ms since epoch, with range checks, for the hand-written time parsers
 * (clf-time, iso-time). NaN for an impossible date; never an exception.
 */

/** The unsigned decimal number in `s[from, from+n)`, or -1 if any of those is not a digit. */
export function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    v = v * 10 + d;
  }
  return v;
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** UTC calendar fields (month 1-12) to ms since epoch; NaN when a field is out of range. */
export function civilToMs(y: number, mo: number, d: number, h: number, mi: number, sec: number, ms: number): number {
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60) {
    return Number.NaN;
  }
  const maxDay = DAYS[mo - 1] ?? 0;
  if (d > maxDay || (mo === 2 && d === 29 && !isLeap(y))) return Number.NaN;
  if (ms < 0 || ms > 999) return Number.NaN;
  return (((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60 + sec) * 1000 + ms;
}

/**
 * Days from 1970-01-01 to a date of the proleptic Gregorian calendar (month 1-12), by the
 * era arithmetic of H. Hinnant's `days_from_civil`: what Date.UTC computes, without the call.
 */
export function daysFromCivil(y: number, mo: number, d: number): number {
  const year = mo <= 2 ? y - 1 : y;
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5) + d - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
