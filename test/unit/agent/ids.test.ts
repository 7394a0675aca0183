import { describe, expect, it } from 'vitest';
import { keyIdOrNull, requestIdOrNull } from '../../../agent/parsers/ids.js';
import { seeded } from '../../support/seeded.js';

describe('gateway ids', () => {
  it('keeps a request id only in its shape: 8 to 64 of [0-9A-Za-z_-]', () => {
    expect(requestIdOrNull('ab1e4da7-5f1d-45ea-bb4a-fa1ccd03b82b')).toBe('ab1e4da7-5f1d-45ea-bb4a-fa1ccd03b82b');
    expect(requestIdOrNull('a_B-1234')).toBe('a_B-1234');
    for (const bad of ['', 'short_7', 'x'.repeat(65), 'has space0', 'semi;colon', 'ünïcode12', '{"$ne":1}xx']) expect(requestIdOrNull(bad), bad).toBeNull();
  });

  it('keeps a key_id only as 32 lowercase hex digits', () => {
    expect(keyIdOrNull('0123456789abcdef0123456789abcdef')).toBe('0123456789abcdef0123456789abcdef');
    for (const bad of ['', '0123456789ABCDEF0123456789abcdef', '0123456789abcdef0123456789abcde', '0123456789abcdef0123456789abcdefa', 'g'.repeat(32)]) {
      expect(keyIdOrNull(bad), bad).toBeNull();
    }
  });

  it('agrees with the shapes written as regexes on random strings', () => {
    const r = seeded(5);
    const chars = '0123456789abcdefgzAFZ_-.:/ é';
    for (let n = 0; n < 20_000; n++) {
      const len = r() < 0.5 ? 32 : Math.floor(r() * 70);
      // Half of them of hex digits only, some of those with one other character put in.
      const pool = r() < 0.5 ? 16 : chars.length;
      const cs = Array.from({ length: len }, () => chars[Math.floor(r() * pool)] as string);
      if (pool === 16 && len > 0 && r() < 0.5) cs[Math.floor(r() * len)] = chars[Math.floor(r() * chars.length)] as string;
      const s = cs.join('');
      expect(requestIdOrNull(s), s).toBe(/^[0-9A-Za-z_-]{8,64}$/.test(s) ? s : null);
      expect(keyIdOrNull(s), s).toBe(/^[0-9a-f]{32}$/.test(s) ? s : null);
    }
  });
});
