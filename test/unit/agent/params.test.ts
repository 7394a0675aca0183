import { describe, expect, it } from 'vitest';
import { shapeOf, shapeQuery } from '../../../agent/sanitize/params.js';

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
});
