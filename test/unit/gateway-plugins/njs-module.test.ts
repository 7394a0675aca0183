/**
 * The njs module (gateway-plugins/nginx/lowslow.js) run under Node: the file is plain ES5 plus
 * one `import crypto from 'crypto'`, which Node resolves too. What this proves is the logic: the
 * agent's own shaper, fed the module's safe query string, publishes exactly the parameters it
 * would have published from the raw one, and no raw value or key survives. That the same file
 * behaves the same inside NGINX's njs is test/integration/nginx-plugin.test.ts's job.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shapeQuery } from '../../../agent/sanitize/params.js';

interface FakeRequest {
  headersIn: Record<string, string>;
  variables: Record<string, string | undefined>;
  error(msg: string): void;
}
interface NjsModule {
  key_id(r: FakeRequest): string;
  args(r: FakeRequest): string;
  keyIdOf(secret: string, key: string): string;
  shapeArgs(query: string, keyParams: string, rawParams: string): string;
  standIn(value: string): string;
}

const MODULE_URL = new URL('../../../gateway-plugins/nginx/lowslow.js', import.meta.url).href;
const njs = ((await import(MODULE_URL)) as { default: NjsModule }).default;

const KEY_PARAMS = 'api_key,apikey,key,access_token,token';
const keyParamSet = new Set(KEY_PARAMS.split(','));
const none = new Set<string>();

/** What the agent publishes for a query string. */
const published = (query: string, raw: ReadonlySet<string> = none) => shapeQuery(query, keyParamSet, raw).params;

function request(headers: Record<string, string>, variables: Record<string, string | undefined> = {}) {
  const errors: string[] = [];
  // njs looks headers up case-insensitively.
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const headersIn = new Proxy(lower, { get: (t, k) => (typeof k === 'string' ? t[k.toLowerCase()] : undefined) });
  return { r: { headersIn, variables, error: (m: string) => void errors.push(m) }, errors };
}

const values = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom('true', 'false', '', '-', '1.2.3', '2024-01-05', '2024-01-05T10:00:00Z', 'a,b,c', '@x', '%zz', '%E0%A4%A', '+', '12345678901234567890'),
  fc.uuid(),
  fc.emailAddress(),
  fc.stringMatching(/^[0-9a-fA-F]{16,64}$/),
  fc.stringMatching(/^[0-9]{4}-[0-9]{2}-[0-9]{2}[A-Za-z0-9:+ -]{0,12}$/),
);
const paramNames = fc.oneof(fc.constantFrom('page', 'limit', 'q', 'API_KEY', 'token', 'filter[name]', 'constructor', 'a b', ''), fc.string({ maxLength: 12 }));
const encodings = fc.constantFrom('raw', 'encoded', 'plus');
const queries = fc
  .array(fc.tuple(paramNames, values, encodings, fc.boolean()), { maxLength: 40 })
  .map((pairs) =>
    pairs
      .map(([n, v, enc, bare]) => {
        const name = encodeURIComponent(n);
        if (bare && v === '') return name;
        const value = enc === 'raw' ? v.replace(/[&#]/g, '') : enc === 'encoded' ? encodeURIComponent(v) : encodeURIComponent(v).replace(/%20/g, '+');
        return `${name}=${value}`;
      })
      .join('&'),
  );

describe('njs module: query stand-ins', () => {
  it.each([
    ['page=3&limit=500', 'page=3&limit=500'],
    ['q=hello%20world', 'q=z_z_z_z_'],
    ['api_key=sk_live_x&page=2', 'page=2'],
    ['id=3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f', 'id=a0a0a0a0-a0a0-a0a0-a0a0-a0a0a0a0a0a0'],
    ['email=jane.doe%40example.com', 'email=z@z_z_z_z_z_z_z_'],
    ['since=2024-01-05', 'since=0000-00-00'],
    ['ids=1,2,3', 'ids=,00_'],
    ['flag=true&x=&y', 'flag=true&x=&y='],
    ['name=J%C3%BCrgen', 'name=zZ%C3%A9z'],
  ])('%s → %s', (query, safe) => {
    expect(njs.shapeArgs(query, KEY_PARAMS, '')).toBe(safe);
    expect(published(safe)).toEqual(published(query));
  });

  it('gives the agent the very parameters it would publish from the raw query string, for any query', () => {
    fc.assert(
      fc.property(queries, (query) => {
        const safe = njs.shapeArgs(query, KEY_PARAMS, '');
        expect(published(safe)).toEqual(published(query));
        expect(shapeQuery(safe, keyParamSet, none).keyFromQuery).toBeNull();
        // Bounded by what it replaces: a stand-in is no longer than the value in UTF-16 units, and a
        // non-ASCII unit is written percent-encoded (`%C3%A9`, 6 characters).
        expect(safe.length).toBeLessThanOrEqual(6 * query.length + 8 * 32);
      }),
      // A fixed seed, so CI is reproducible (this one once found the bound above too tight).
      { numRuns: 3000, seed: 20261201 },
    );
  });

  it('keeps no value except numbers and booleans, and drops key parameters entirely', () => {
    const secretValues = fc.stringMatching(/^[A-Za-z][A-Za-z0-9._~-]{5,30}$/).filter((v) => v !== 'true' && v !== 'false');
    fc.assert(
      fc.property(secretValues, secretValues, (value, key) => {
        const safe = njs.shapeArgs(`q=${value}&API_KEY=${key}&page=7`, KEY_PARAMS, '');
        expect(safe).not.toContain(value);
        expect(safe).not.toContain(key);
        expect(safe).not.toMatch(/api_key/i);
        expect(safe.endsWith('&page=7')).toBe(true);
      }),
    );
  });

  it('passes allow-listed parameters unchanged, as the agent keeps them', () => {
    const raw = new Set(['sort']);
    const safe = njs.shapeArgs('sort=created_at%20desc&q=secret', KEY_PARAMS, 'sort');
    expect(safe).toBe('sort=created_at%20desc&q=zzzz');
    expect(published(safe, raw)).toEqual(published('sort=created_at%20desc&q=secret', raw));
  });

  it('keeps at most 32 parameters, like the agent', () => {
    const query = Array.from({ length: 50 }, (_, i) => `p${i}=${i}`).join('&');
    expect(njs.shapeArgs(query, KEY_PARAMS, '').split('&')).toHaveLength(32);
  });
});

describe('njs module: key_id', () => {
  const SECRET = 'njs-unit-secret-0123456789';
  const withSecret = <T>(secret: string | undefined, f: () => T): T => {
    const before = process.env.LOWSLOW_KEY_SECRET;
    if (secret === undefined) delete process.env.LOWSLOW_KEY_SECRET;
    else process.env.LOWSLOW_KEY_SECRET = secret;
    try {
      return f();
    } finally {
      if (before === undefined) delete process.env.LOWSLOW_KEY_SECRET;
      else process.env.LOWSLOW_KEY_SECRET = before;
    }
  };
  const id = (key: string) => njs.keyIdOf(SECRET, key);

  it('takes the first key header, then a Bearer token, then a key parameter', () => {
    withSecret(SECRET, () => {
      expect(njs.key_id(request({ 'X-Api-Key': 'k-header', Authorization: 'Bearer k-bearer' }, { args: 'api_key=k-query' }).r)).toBe(id('k-header'));
      expect(njs.key_id(request({ Authorization: 'Bearer k-bearer' }, { args: 'api_key=k-query' }).r)).toBe(id('k-bearer'));
      expect(njs.key_id(request({ Authorization: 'Basic dXNlcjpwYXNz' }, { args: 'page=1&Api_Key=k%2Bquery' }).r)).toBe(id('k+query'));
      expect(njs.key_id(request({}, { args: 'page=1' }).r)).toBe('');
      expect(njs.key_id(request({ 'x-api-key': '-' }).r)).toBe('');
    });
  });

  it('reads its options from nginx variables', () => {
    withSecret(SECRET, () => {
      const vars = { lowslow_key_headers: 'x-partner-key', lowslow_bearer: 'off', lowslow_key_params: 'sig', args: 'api_key=q&sig=s' };
      expect(njs.key_id(request({ 'x-partner-key': 'p' }, vars).r)).toBe(id('p'));
      expect(njs.key_id(request({ 'x-api-key': 'ignored', Authorization: 'Bearer ignored' }, vars).r)).toBe(id('s'));
      expect(njs.args(request({}, { ...vars, args: 'sig=s&api_key=q' }).r)).toBe('api_key=z');
    });
  });

  it('leaves key_id empty and says why, without the key, when the secret is missing or short', () => {
    for (const secret of [undefined, 'short']) {
      withSecret(secret, () => {
        const { r, errors } = request({ 'x-api-key': 'sk_live_canary_123' });
        expect(njs.key_id(r)).toBe('');
        expect(errors.join('\n')).toContain('env LOWSLOW_KEY_SECRET;');
        expect(errors.join('\n')).not.toContain('sk_live_canary_123');
      });
    }
  });
});
