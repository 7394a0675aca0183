/**
 * The hand-written time parsers agree with the JavaScript Date on every date they accept, and
 * reject what is no date.
 */
import { describe, expect, it } from 'vitest';
import { civilToMs, daysFromCivil } from '../../../agent/parsers/civil-time.js';
import { parseClfTime } from '../../../agent/parsers/clf-time.js';
import { seeded } from '../../support/seeded.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w: number): string => String(n).padStart(w, '0');

describe('civil time', () => {
  it('counts days as Date.UTC does, across leap years, centuries and 400-year eras', () => {
    for (let y = 1970; y <= 2500; y++) {
      for (const [mo, d] of [[1, 1], [2, 28], [3, 1], [12, 31]] as const) {
        expect(daysFromCivil(y, mo, d), `${y}-${mo}-${d}`).toBe(Date.UTC(y, mo - 1, d) / 86_400_000);
      }
    }
    for (const y of [1972, 2000, 2400]) expect(daysFromCivil(y, 2, 29)).toBe(Date.UTC(y, 1, 29) / 86_400_000);
  });

  it('gives Date.UTC for random valid fields, leap seconds rolling over as Date does', () => {
    const r = seeded(9);
    for (let i = 0; i < 20_000; i++) {
      const y = 1970 + Math.floor(r() * 8030);
      const mo = 1 + Math.floor(r() * 12);
      const d = 1 + Math.floor(r() * 28);
      const h = Math.floor(r() * 24);
      const mi = Math.floor(r() * 60);
      const sec = Math.floor(r() * 61);
      const ms = Math.floor(r() * 1000);
      expect(civilToMs(y, mo, d, h, mi, sec, ms)).toBe(Date.UTC(y, mo - 1, d, h, mi, sec, ms));
    }
  });

  it('rejects impossible dates', () => {
    for (const f of [[1969, 12, 31], [2023, 2, 29], [1900 + 200, 2, 30], [2024, 4, 31], [2024, 13, 1], [2024, 0, 1], [2024, 1, 0]] as const) {
      expect(civilToMs(f[0], f[1], f[2], 0, 0, 0, 0), f.join('-')).toBeNaN();
    }
    expect(civilToMs(2024, 1, 1, 24, 0, 0, 0)).toBeNaN();
    expect(civilToMs(2024, 1, 1, 0, 60, 0, 0)).toBeNaN();
    expect(civilToMs(2024, 1, 1, 0, 0, 61, 0)).toBeNaN();
    expect(civilToMs(2024, 1, 1, 0, 0, 0, 1000)).toBeNaN();
  });
});

describe('CLF time', () => {
  it('parses random times in every month and offset as Date.parse does', () => {
    const r = seeded(17);
    for (let i = 0; i < 20_000; i++) {
      const y = 1990 + Math.floor(r() * 60);
      const mo = Math.floor(r() * 12);
      const d = 1 + Math.floor(r() * 28);
      const [h, mi, sec] = [Math.floor(r() * 24), Math.floor(r() * 60), Math.floor(r() * 60)];
      const sign = r() < 0.5 ? '-' : '+';
      const [zh, zm] = [Math.floor(r() * 15), [0, 30, 45][Math.floor(r() * 3)] as number];
      const text = `${pad(d, 2)}/${MONTHS[mo]}/${y}:${pad(h, 2)}:${pad(mi, 2)}:${pad(sec, 2)} ${sign}${pad(zh, 2)}${pad(zm, 2)}`;
      const iso = `${y}-${pad(mo + 1, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(sec, 2)}${sign}${pad(zh, 2)}:${pad(zm, 2)}`;
      // Inside a longer line, as the parsers call it.
      expect(parseClfTime(`[${text}]`, 1, 27), text).toBe(Date.parse(iso));
    }
  });

  it('answers NaN for anything that is not one', () => {
    const good = '17/May/2015:10:05:03 +0000';
    expect(parseClfTime(good, 0, 26)).toBe(Date.UTC(2015, 4, 17, 10, 5, 3));
    for (const bad of ['17/may/2015:10:05:03 +0000', '17/Mai/2015:10:05:03 +0000', '17-May/2015:10:05:03 +0000', '17/May-2015:10:05:03 +0000', '17/May/2015 10:05:03 +0000',
      '17/May/2015:10-05:03 +0000', '17/May/2015:10:05-03 +0000', '17/May/2015:10:05:03+00000', '17/May/2015:10:05:03 *0000', '17/May/2015:10:05:03 +2400', '17/May/2015:10:05:03 +0060',
      '31/Feb/2015:10:05:03 +0000', '17/May/1969:10:05:03 +0000', '1x/May/2015:10:05:03 +0000', '17/May/2015:25:05:03 +0000', '17/May/2015:10:05:03 +000', '']) {
      expect(parseClfTime(bad, 0, bad.length), bad).toBeNaN();
    }
    // Before the epoch once the offset is applied.
    expect(parseClfTime('01/Jan/1970:00:00:00 +0100', 0, 26)).toBeNaN();
  });
});
