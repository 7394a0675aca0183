import { describe, expect, it } from 'vitest';
import type { ParamShape } from '../../../contracts/index.js';
import { shapeOf, shapeQuery } from '../../../agent/sanitize/params.js';
import { seeded } from '../../support/seeded.js';

const KEYS = new Set(['api_key', 'token']);
const NONE = new Set<string>();

describe('parameter shapes', () => {
  it('keeps numbers, reduces strings to shapes', () => {
    const { params } = shapeQuery('page=3&limit=50&q=Jane%20Doe&active=true&ratio=0.5', KEYS, NONE);
    expect(params).toEqual([
      { name: 'page', type: 'int', len: 1, chars: 'd', value: 3 },
      { name: 'limit', type: 'int', len: 2, chars: 'd', value: 50 },
      { name: 'q', type: 'str', len: 4, chars: 'aAs' },
      { name: 'active', type: 'bool', len: 3, chars: 'a' },
      { name: 'ratio', type: 'num', len: 2, chars: 'ds', value: 0.5 },
    ]);
  });

  it('classifies uuid, hex, date, email, list, empty and non-ASCII', () => {
    expect(shapeOf('a', '3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f', false).type).toBe('uuid');
    expect(shapeOf('a', 'deadbeefdeadbeef', false).type).toBe('hex');
    expect(shapeOf('a', '2026-11-02', false).type).toBe('date');
    expect(shapeOf('a', 'jane@example.com', false).type).toBe('email');
    expect(shapeOf('a', '1,2,3', false).type).toBe('list');
    expect(shapeOf('a', '', false)).toEqual({ name: 'a', type: 'empty', len: 0, chars: '' });
    expect(shapeOf('a', 'straße', false).chars).toBe('ax');
  });

  it('takes key parameters out and never describes them', () => {
    const r = shapeQuery('api_key=sk_canary_123&page=1&TOKEN=another', KEYS, NONE);
    expect(r.keyFromQuery).toBe('sk_canary_123');
    expect(r.params.map((p) => p.name)).toEqual(['page']);
    expect(JSON.stringify(r.params)).not.toContain('canary');
  });

  it('publishes raw strings only for allow-listed names', () => {
    const { params } = shapeQuery('sort=name&q=secret-canary', KEYS, new Set(['sort']));
    expect(params[0]).toMatchObject({ name: 'sort', value: 'name' });
    expect(params[1]).not.toHaveProperty('value');
  });

  it('replaces odd names, survives bad escapes, and caps the count', () => {
    const { params } = shapeQuery('%E0%A4%A=1&<script>=x&' + Array.from({ length: 40 }, (_, i) => `p${i}=1`).join('&'), KEYS, NONE);
    expect(params).toHaveLength(32);
    expect(params[0]?.name).toBe('{name}');
    expect(params[1]?.name).toBe('{name}');
  });

  it('shapes as the rules written as regexes and split do, on random queries', () => {
    // The rules of params.ts in their plain form: the scans there must give the same answers.
    const decode = (x: string) => {
      try {
        return decodeURIComponent(x.replace(/\+/g, ' '));
      } catch {
        return x;
      }
    };
    const classes = (v: string) =>
      [/[a-z]/, /[A-Z]/, /[0-9]/, /[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]/, /[^\x00-\x7f]/].map((re, i) => (re.test(v) ? 'aAdsx'[i] : '')).join('');
    const reference = (query: string, raw: ReadonlySet<string>) => {
      const params: ParamShape[] = [];
      let keyFromQuery: string | null = null;
      for (const pair of query === '' ? [] : query.split('&')) {
        if (params.length >= 32) break;
        if (pair === '') continue;
        const eq = pair.indexOf('=');
        const rawName = decode(eq < 0 ? pair : pair.slice(0, eq));
        const v = eq < 0 ? '' : decode(pair.slice(eq + 1));
        if (KEYS.has(rawName.toLowerCase())) {
          keyFromQuery ??= v === '' ? null : v;
          continue;
        }
        const name = /^[A-Za-z0-9_.[\]-]{1,64}$/.test(rawName) ? rawName : '{name}';
        const shape: ParamShape = { name, type: 'str', len: v === '' ? 0 : Math.min(32, Math.floor(Math.log2(v.length)) + 1), chars: classes(v) };
        if (v === '') shape.type = 'empty';
        else if (/^-?[0-9]{1,15}$/.test(v)) [shape.type, shape.value] = ['int', Number(v)];
        else if (/^-?[0-9]{1,15}\.[0-9]{1,15}$/.test(v)) [shape.type, shape.value] = ['num', Number(v)];
        else if (v === 'true' || v === 'false') shape.type = 'bool';
        else if (/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(v)) shape.type = 'uuid';
        else if (/^[0-9a-fA-F]{16,}$/.test(v)) shape.type = 'hex';
        else if (/^[0-9]{4}-[0-9]{2}-[0-9]{2}/.test(v)) shape.type = 'date';
        else if (v.indexOf('@') > 0) shape.type = 'email';
        else if (v.includes(',')) shape.type = 'list';
        if (raw.has(name) && shape.type !== 'int' && shape.type !== 'num' && v.length <= 64) shape.value = v;
        params.push(shape);
      }
      return { params, keyFromQuery };
    };
    const r = seeded(11);
    const pick = (chars: string, n: number) => Array.from({ length: n }, () => chars[Math.floor(r() * chars.length)]).join('');
    // Key names in other cases, and with a Kelvin sign (U+212A), which toLowerCase makes 'k'.
    const names = ['page', 'limit', 'q', 'API_KEY', 'token', 'Token', '\u212aey', '%E2%84%AAEY', 'sort', 'a[b]', 'x\\y', '%41b', 'é', ''];
    const value = (): string => {
      const kind = r();
      if (kind < 0.25) return pick('-0123456789', 1 + Math.floor(r() * 18));
      if (kind < 0.35) return `${pick('0123456789', 1 + Math.floor(r() * 4))}.${pick('0123456789', Math.floor(r() * 4))}`;
      if (kind < 0.45) return pick('0123456789abcdefABCDEFg', 10 + Math.floor(r() * 30));
      if (kind < 0.5) return '3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f';
      if (kind < 0.55) return `2026-${pick('0123456789', 2)}-0${pick('0123456789', 2)}`;
      return pick('aZ09 ,@.-_%+=é\x7f', Math.floor(r() * 20));
    };
    const raw = new Set(['sort', 'q']);
    for (let n = 0; n < 20_000; n++) {
      const pairs = Array.from({ length: Math.floor(r() * (r() < 0.1 ? 50 : 6)) }, () => {
        const kind = r();
        if (kind < 0.05) return '';
        const name = r() < 0.8 ? (names[Math.floor(r() * names.length)] as string) : pick('aZ_.[]-\\%', 1 + Math.floor(r() * 70));
        return kind < 0.15 ? name : `${name}=${value()}`;
      });
      const query = pairs.join('&');
      expect(shapeQuery(query, KEYS, raw), query).toEqual(reference(query, raw));
    }
  });
});
