/**
 * Property tests: whatever a log file holds, the text parsers answer a RawRecord with sane types
 * or a known rejection reason, and never throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEnvoyJson } from '../../../agent/parsers/envoy-json.js';
import { parseEnvoyText } from '../../../agent/parsers/envoy-text.js';
import { parseNginxCombined } from '../../../agent/parsers/nginx-combined.js';
import { REJECT_REASONS, type ParseResult, type Parser } from '../../../agent/parsers/index.js';

const PARSE = { maxLineBytes: 4096, keyHeaders: ['x-api-key', 'x-client-key'], bearer: true };
const RUNS = 600;

const VALID: Record<string, string[]> = {
  'nginx-combined': [
    '203.0.113.7 - - [02/Nov/2026:09:15:00 +0000] "GET /v1/customers/42?expand=orders HTTP/1.1" 200 1534 "-" "partner-sync/2.1" "sk_live_abc123"',
    'lessons.example.com 192.168.0.1 - - [09/Jun/2020:12:10:39 -0700] "GET /a.mp4 HTTP/1.1" 206 7648063 "http://x/" "Mozilla/5.0"',
    '"10.5.102.222, 199.96.1.1" 10.2.1.185 - - [22/Jan/2016:13:18:29 +0000] "GET /assets/x?q=100 HTTP/1.1" 200 25507 "-" "Amazon CloudFront" "198.51.100.4"',
    '46.118.127.106 - - [20/May/2015:12:05:17 +0000] "GET /scripts/configlib.py HTTP/1.1" 200 235 "-" "Mozilla/5.0 (compatible; Googlebot/2.1',
  ],
  'envoy-text': [
    '[2019-02-12T18:37:42.921Z] "GET /httpbin/ip HTTP/1.1" 200 - 0 43 217 216 "172.17.0.5" "curl/7.59.0" "c62ec130-6dee-4f3b-a52b-4f0d1312d89d" "httpbin.org" "52.87.35.92:80, 52.87.35.93:80" "sk_live_abc"',
    'ACCESS [2024-04-25T17:51:55.294Z] "GET /backend/?a=1 HTTP/1.1" 200 - 0 141 0 0 "192.168.0.9" "curl/8.4.0" "b7ba9b4c-f4b7-47c2-9718-c23aa1465f49" "localhost:9001" "192.168.96.113:80"',
    '[2020-11-25T21:26:18.409Z] "GET /status/418 HTTP/1.1" 418 - via_upstream - "-" 0 135 4 4 "-" "curl/7.73.0-DEV" "84961386-6d84-929d-98bd-c5aee93b5c88" "httpbin:8000" "10.44.1.27:80" outbound|8000||httpbin 10.44.1.23:37652 10.0.45.184:8000 10.44.1.23:46520 - default',
    '[2019-04-06T06:20:05.972Z] "- - -" 0 UF,URX 0 0 0 - "-" "-" "-" "-" "127.0.0.1:9200"',
  ],
  'envoy-json': [
    '{"start_time":"2026-11-02T09:15:00.125Z","method":"GET","path":"/v1/customers/42?expand=orders","response_code":"200","bytes_received":"0","bytes_sent":"1534","duration":"12","x_forwarded_for":"203.0.113.7, 10.0.0.1","user_agent":"partner-sync/2.1","request_id":"5f0c3c1e-8d0e-4b8e-9a3c-2d1f7e6b4a10","upstream_host":"10.0.1.5:8080, 10.0.1.6:8080","api_key":"sk_live_abc123"}',
    '{":authority":"api.example.com","bytes_sent":466,"downstream_remote_address":"[2001:db8::5]:34805","duration":1,"method":"GET","response_code":200,"start_time":"1793610903.250","user-agent":"curl/7.88.1","x-envoy-origin-path":"/","x-forwarded-for":null,"x-api-key":"k","authorization":"Bearer t"}',
    '{"message":"ACCESS [2019-02-12T18:37:42.921Z] \\"GET /httpbin/ip HTTP/1.1\\" 200 - 0 43 217 216 \\"172.17.0.5\\" \\"curl/7.59.0\\" \\"c62ec130-6dee-4f3b-a52b-4f0d1312d89d\\" \\"httpbin.org\\" \\"52.87.35.92:80\\"\\n","stream":"stdout"}',
    '{"log":"{\\"start_time\\":\\"2026-11-02T09:15:05Z\\",\\"method\\":\\"GET\\",\\"path\\":\\"/x\\"}\\n","stream":"stdout"}',
  ],
};

const PARSERS: Record<string, Parser> = {
  'nginx-combined': parseNginxCombined,
  'envoy-text': parseEnvoyText,
  'envoy-json': parseEnvoyJson,
};

const RECORD_KEYS = [
  'apiKey', 'ip', 'keyId', 'latencyMs', 'method', 'path', 'query', 'requestBytes', 'requestId',
  'responseBytes', 'status', 'ts', 'userAgent',
];

/** A RawRecord with sane types, or a known rejection reason. */
function assertSane(r: ParseResult): void {
  if (typeof r === 'string') {
    expect(REJECT_REASONS).toContain(r);
    return;
  }
  // gateway and requestIdFromClient are optional: only some formats carry them.
  expect(Object.keys(r).filter((k) => k !== 'gateway' && k !== 'requestIdFromClient').sort()).toEqual(RECORD_KEYS);
  if (r.requestIdFromClient !== undefined) expect(r.requestIdFromClient).toBe(r.requestId !== null);
  for (const n of [r.ts, r.status, r.requestBytes, r.responseBytes, r.latencyMs]) {
    expect(Number.isFinite(n) && n >= 0 && Number.isInteger(n)).toBe(true);
  }
  for (const s of [r.ip, r.method, r.path, r.query, r.userAgent]) expect(typeof s).toBe('string');
  for (const s of [r.requestId, r.apiKey, r.keyId]) expect(s === null || typeof s === 'string').toBe(true);
  expect(r.method.length).toBeGreaterThan(0);
  expect(r.path.startsWith('/')).toBe(true);
}

// Characters that matter to the scanners, plus anything else at all.
const nasty = fc.oneof(
  fc.constantFrom('"', '\\', '\\"', ' ', '\t', '[', ']', '-', ',', ':', '/', '?', '{', '}', '\r', '\n', '\r\n', '\0'),
  fc.constantFrom('\uFFFD', '\uD800', '\uDC00', '\uDBFF\uDFFF', 'ACCESS ', ' HTTP/1.1', 'GET ', '""', '"-"'),
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const nastyString = fc.string({ unit: nasty, maxLength: 120 });

type Edit =
  | { op: 'insert' | 'replace'; at: number; text: string }
  | { op: 'delete' | 'truncate' | 'dupQuote'; at: number }
  | { op: 'huge'; at: number; size: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constantFrom('insert' as const, 'replace' as const), at: fc.nat(), text: nastyString }),
  fc.record({ op: fc.constantFrom('delete' as const, 'truncate' as const, 'dupQuote' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('huge' as const), at: fc.nat(), size: fc.integer({ min: 500, max: 6000 }) }),
);

function applyEdit(line: string, e: Edit): string {
  const at = e.at % (line.length + 1);
  switch (e.op) {
    case 'insert':
      return line.slice(0, at) + e.text + line.slice(at);
    case 'replace':
      return line.slice(0, at) + e.text + line.slice(at + e.text.length);
    case 'delete':
      return line.slice(0, at) + line.slice(at + 1 + (e.at % 7));
    case 'truncate':
      return line.slice(0, at);
    case 'dupQuote': {
      const q = line.indexOf('"', at);
      return q < 0 ? line : `${line.slice(0, q)}"${line.slice(q)}`;
    }
    case 'huge':
      return line.slice(0, at) + 'x'.repeat(e.size) + line.slice(at);
  }
}

/** JSON objects with the keys envoy-json looks at and values of every JSON type. */
const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.constantFrom('-', '', '2026-11-02T09:15:00Z', '1793610903.250', '/v1/x?y=1', 'GET', 'Bearer t', '1e400'),
  fc.double(),
  fc.integer(),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);
const jsonKey = fc.constantFrom(
  'start_time', '@timestamp', 'method', ':method', 'path', 'x-envoy-origin-path', 'response_code', 'bytes_received',
  'bytes_sent', 'duration', 'x_forwarded_for', 'x-forwarded-for', 'downstream_remote_address', 'user_agent',
  'request_id', 'api_key', 'x-api-key', 'x_client_key', 'authorization', 'key_id', 'log', 'message', '__proto__',
);
const jsonLine = fc.dictionary(jsonKey, jsonValue, { maxKeys: 12 }).map((o) => JSON.stringify(o));

describe.each(Object.keys(PARSERS))('%s parser on hostile input', (name) => {
  const parse = PARSERS[name] as Parser;
  const valid = VALID[name] as string[];

  it('parses its valid lines to records', () => {
    for (const line of valid.slice(0, 3)) expect(typeof parse(line, PARSE)).toBe('object');
  });

  it('answers arbitrary strings with a record or a known reason', () => {
    fc.assert(
      fc.property(fc.oneof(nastyString, fc.string({ unit: 'binary', maxLength: 200 })), (line) => {
        assertSane(parse(line, PARSE));
      }),
      { numRuns: RUNS, seed: 20261201 },
    );
  });

  it('answers mutated valid lines with a record or a known reason', () => {
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.array(edit, { minLength: 1, maxLength: 4 }), (line, edits) => {
        assertSane(parse(edits.reduce(applyEdit, line), PARSE));
      }),
      { numRuns: RUNS * 2, seed: 20261201 },
    );
  });

  it('answers the wrapper and JSON shapes with a record or a known reason', () => {
    const wrapped = fc.tuple(fc.constantFrom('log', 'message'), fc.oneof(nastyString, fc.constantFrom(...valid)));
    fc.assert(
      fc.property(
        fc.oneof(jsonLine, wrapped.map(([k, v]) => JSON.stringify({ [k]: v, stream: 'stdout' }))),
        (line) => {
          assertSane(parse(line, PARSE));
        },
      ),
      { numRuns: RUNS, seed: 20261201 },
    );
  });

  it('rejects lines over maxLineBytes before looking at them', () => {
    for (const line of valid) expect(parse(line, { ...PARSE, maxLineBytes: line.length - 1 })).toBe('too_long');
    expect(parse('x'.repeat(5000), PARSE)).toBe('too_long');
  });
});
