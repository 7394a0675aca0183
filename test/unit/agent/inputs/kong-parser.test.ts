import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseKong, parseKongObject } from '../../../../agent/parsers/kong.js';
import type { RawRecord } from '../../../../agent/parsers/raw-record.js';

const ROOT = new URL('../../../fixtures/kong/', import.meta.url);
const PARSE = { maxLineBytes: 65536, keyHeaders: ['x-api-key'], bearer: true };
const CANARY = 'sk_canary_7f3a9c1e';

/** A minimal serialize() object; tests override parts of it. */
function kong(over: { request?: Record<string, unknown>; [k: string]: unknown } = {}): Record<string, unknown> {
  const { request, ...rest } = over;
  return {
    started_at: 1_793_600_000_123,
    client_ip: '203.0.113.9',
    latencies: { request: 42.6, kong: 1, proxy: 40 },
    response: { status: 200, size: 512, headers: { 'x-kong-request-id': 'b'.repeat(32) } },
    request: {
      method: 'GET',
      uri: '/v1/customers/7?page=2&limit=50',
      url: 'http://api.example.com:8000/v1/customers/7?page=2&limit=50',
      querystring: { page: '2', limit: '50' },
      size: 321,
      headers: { host: 'api.example.com', 'user-agent': 'curl/8.5.0', 'x-api-key': 'sk_live_abc', cookie: `session=${CANARY}` },
      ...request,
    },
    ...rest,
  };
}

const cases = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('kong parser golden cases (Kong documentation samples)', () => {
  it('has the three documented serializer samples', () => {
    expect(cases).toEqual(['serializer-2.2.1', 'serializer-3.4', 'serializer-3.8']);
  });

  describe.each(cases)('%s', (name) => {
    const dir = new URL(`${name}/`, ROOT);
    const lines = readFileSync(new URL('input.log', dir), 'utf8').split('\n').filter((l) => l !== '');
    const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8')) as unknown[];

    it('parses every line as expected.json says, as a line and as a decoded object', () => {
      expect(lines.length).toBe(expected.length);
      lines.forEach((line, i) => {
        expect(parseKong(line, PARSE)).toEqual(expected[i]);
        expect(parseKongObject(JSON.parse(line), PARSE)).toEqual(expected[i]);
      });
    });
  });

  it('gives the same request the same derived id whatever the Kong version around it', () => {
    const a = parseKong(readFileSync(new URL('serializer-2.2.1/input.log', ROOT), 'utf8').trim(), PARSE) as RawRecord;
    const b = parseKong(readFileSync(new URL('serializer-3.4/input.log', ROOT), 'utf8').trim(), PARSE) as RawRecord;
    expect(a.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(a.requestId).toBe(b.requestId);
  });
});

describe('kong parser mapping', () => {
  it('maps every field: started_at, raw query from request.uri, sizes, latency, client, key', () => {
    expect(parseKongObject(kong(), PARSE)).toEqual({
      requestId: 'b'.repeat(32),
      ts: 1_793_600_000_123,
      ip: '203.0.113.9',
      method: 'GET',
      path: '/v1/customers/7',
      query: 'page=2&limit=50',
      status: 200,
      requestBytes: 321,
      responseBytes: 512,
      latencyMs: 43,
      userAgent: 'curl/8.5.0',
      apiKey: 'sk_live_abc',
      keyId: null,
      gateway: { service: '', routeName: '', consumer: '' },
    });
  });

  it("takes Kong's service and route, names first, and the consumer id", () => {
    const r = parseKongObject(kong({ service: { id: 'svc-id', name: 'orders-api' }, route: { id: 'route-id', name: 'not a name' }, consumer: { id: 'c-1', username: 'jane@example.com' } }), PARSE);
    expect(typeof r === 'object' && r.gateway).toEqual({ service: 'orders-api', routeName: 'route-id', consumer: 'c-1' });
  });

  it('never copies a header other than user-agent into the record', () => {
    const r = parseKongObject(kong({ request: { headers: { 'user-agent': 'ua', cookie: CANARY, 'x-secret': CANARY } } }), PARSE);
    expect(JSON.stringify(r)).not.toContain(CANARY);
  });

  it('falls back to request.url, then rebuilds the query from Kong’s table (true flags, repeated names)', () => {
    const fromUrl = parseKongObject(kong({ request: { uri: undefined, url: 'https://h:8443/a/b?x=1' } }), PARSE);
    expect(fromUrl).toMatchObject({ path: '/a/b', query: 'x=1' });
    const rebuilt = parseKongObject(
      kong({ request: { uri: '/search', querystring: { q: 'a b', flag: true, id: ['1', '2'] } } }),
      PARSE,
    );
    expect(rebuilt).toMatchObject({ path: '/search', query: 'q=a%20b&flag&id=1&id=2' });
  });

  it('takes the first configured key header, the first value when repeated', () => {
    const opts = { ...PARSE, keyHeaders: ['apikey', 'x-api-key'] };
    expect(parseKongObject(kong({ request: { headers: { 'x-api-key': 'second', apikey: ['first', 'dup'] } } }), opts)).toMatchObject({ apiKey: 'first' });
  });

  it('uses a Bearer token only when enabled, and not Kong’s REDACTED placeholder', () => {
    const bearer = kong({ request: { headers: { authorization: 'Bearer tok_123' } } });
    expect(parseKongObject(bearer, PARSE)).toMatchObject({ apiKey: 'tok_123' });
    expect(parseKongObject(bearer, { ...PARSE, bearer: false })).toMatchObject({ apiKey: null });
    expect(parseKongObject(kong({ request: { headers: { authorization: 'REDACTED' } } }), PARSE)).toMatchObject({ apiKey: null });
  });

  it('stands in the credential id, else the consumer id, when no header holds a key', () => {
    const both = kong({ request: { headers: {} }, authenticated_entity: { id: 'cred-1', consumer_id: 'cons-1' }, consumer: { id: 'cons-1' } });
    expect(parseKongObject(both, PARSE)).toMatchObject({ apiKey: 'cred-1' });
    expect(parseKongObject(kong({ request: { headers: {} }, consumer: { id: 'cons-1' } }), PARSE)).toMatchObject({ apiKey: 'cons-1' });
    // A key header still wins over the consumer.
    expect(parseKongObject(kong({ consumer: { id: 'cons-1' } }), PARSE)).toMatchObject({ apiKey: 'sk_live_abc' });
  });

  it('takes a key_id computed at the gateway when it looks like one', () => {
    expect(parseKongObject(kong({ key_id: 'c'.repeat(32) }), PARSE)).toMatchObject({ keyId: 'c'.repeat(32) });
    expect(parseKongObject(kong({ key_id: 'nope' }), PARSE)).toMatchObject({ keyId: null });
  });

  it("prefers request.id, then the response's x-kong-request-id, else derives one; never an id the client sent", () => {
    expect(parseKongObject(kong({ request: { id: 'a'.repeat(32) } }), PARSE)).toMatchObject({ requestId: 'a'.repeat(32) });
    // A client sending one correlation id on every request must not have them taken for repeats.
    const chosen = { headers: { 'kong-request-id': '0f1a4101-3327-4274-b1e4-484a4ab0c030', 'x-kong-request-id': 'c'.repeat(32) } };
    const first = parseKongObject(kong({ response: { status: 200 }, request: chosen }), PARSE) as RawRecord;
    const second = parseKongObject(kong({ response: { status: 200 }, request: chosen, started_at: 1_793_600_000_999 }), PARSE) as RawRecord;
    expect(first.requestId).not.toBe('0f1a4101-3327-4274-b1e4-484a4ab0c030');
    expect(first.requestId).not.toBe('c'.repeat(32));
    expect(second.requestId).not.toBe(first.requestId);
    const none = parseKongObject(kong({ response: { status: 200 } }), PARSE) as RawRecord;
    const again = parseKongObject(kong({ response: { status: 200 } }), PARSE) as RawRecord;
    const other = parseKongObject(kong({ response: { status: 200 }, started_at: 1_793_600_000_124 }), PARSE) as RawRecord;
    expect(none.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(again.requestId).toBe(none.requestId);
    expect(other.requestId).not.toBe(none.requestId);
    // The derived id holds nothing of the key.
    const otherKey = parseKongObject(kong({ response: { status: 200 }, request: { headers: { 'x-api-key': 'other' } } }), PARSE) as RawRecord;
    expect(otherKey.requestId).toBe(none.requestId);
  });

  it.each([
    ['', 'empty'],
    ['not json', 'not_json'],
    ['[1]', 'not_json'],
    ['null', 'not_json'],
    [JSON.stringify({ session: {}, started_at: 1 }), 'bad_field'],
    [JSON.stringify(kong({ started_at: undefined })), 'bad_time'],
    [JSON.stringify(kong({ started_at: 'soon' })), 'bad_time'],
    [JSON.stringify(kong({ request: { method: '' } })), 'bad_field'],
    [JSON.stringify(kong({ request: { uri: 'relative', url: '' } })), 'bad_field'],
  ])('rejects %s as %s', (line, reason) => {
    expect(parseKong(line, PARSE)).toBe(reason);
  });

  it('rejects lines and records beyond max_line_bytes as too_long', () => {
    const line = JSON.stringify(kong());
    expect(parseKong(line, { ...PARSE, maxLineBytes: line.length - 1 })).toBe('too_long');
    expect(parseKongObject(kong({ request: { uri: `/${'a'.repeat(300)}` } }), { ...PARSE, maxLineBytes: 256 })).toBe('too_long');
  });
});
