/**
 * Field injection: requests with known field values, written as each gateway writes them (its own
 * escaping), parsed and sanitized. Every event field must come from its own source field: key_id
 * is the HMAC of the real key (else of the key query parameter, else null), never of a value
 * planted in the user agent, referer, authority or query; the route comes from the path, the id
 * from the request id (or the line), client.ua from the user agent, and so on. Attacker fields
 * carry JSON fragments (`","key_id":"…","x":"`), quoted text fields, CRLF with a whole second
 * line, NUL, invalid UTF-8 (as U+FFFD), lone surrogates, and 1 MB values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccessEvent } from '../../../contracts/index.js';
import type { RawRecord } from '../../../agent/parsers/index.js';
import { FORMATS, type Format } from './corpus.js';
import { INJECTIONS, keyIdOf, PLANTED_KEY, PLANTED_KEY_HMAC, PLANTED_KEY_ID, PLANTED_PATH, PLANTED_REQUEST_ID } from './hostile.js';
import { FUZZ_POLICY, LineChecker, PARSE, PARSE_HUGE } from './line-check.js';
import { apacheEscape, nginxEscape } from './escaping.js';
import { DEFAULT_LAYOUT, expectedRecord, render, type Request } from './render.js';
import { requestCaseArb, type RequestCase } from './requests.js';
import { FUZZ_SEED } from './seed.js';

const RUNS = 500;
const checker = new LineChecker();
const keyParams = new Set(FUZZ_POLICY.keyParams.map((p) => p.toLowerCase()));

/** The sanitizer's query decoding (`+` is a space; a bad escape leaves the text as it is). */
function decode(s: string): string {
  if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** The first non-empty key query parameter: what key_id comes from when no header carries a key. */
function queryKey(query: string): string | null {
  if (query === '') return null;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    if (keyParams.has(name.toLowerCase()) && value !== '') return value;
  }
  return null;
}

/** key_id per DESIGN.md from the record the line must give: the oracle, without the agent's code. */
function expectedKeyId(want: { apiKey: string | null; query: string }): string | null {
  const raw = want.apiKey ?? queryKey(want.query);
  return raw === null ? null : keyIdOf(raw);
}

/** Parses and sanitizes `line`; the line must give an event. */
function eventOf(format: Format, line: string, opts = PARSE): AccessEvent {
  const { outcome, event } = checker.check(format, line, opts, { seed: FUZZ_SEED, index: 0, ops: ['render'] });
  expect(outcome, `${format} rejected a well-formed line: ${JSON.stringify(line.slice(0, 400))}`).toBe('event');
  return event as AccessEvent;
}

/** The event the line must give: the expected record through the same sanitizer. */
function expectedEvent(format: Format, rc: RequestCase, line: string, got: AccessEvent): AccessEvent {
  const want = expectedRecord(format, rc.request, rc.layout);
  let requestId = want.requestId;
  if (requestId === undefined) {
    // Kong without a request id: the parser derives one from the request (no key material).
    expect(got.id).toMatch(/^[0-9a-f]{32}$/);
    requestId = got.id;
  }
  return checker.sanitizer.toEvent({ ...want, requestId } as RawRecord, line);
}

/** What no event may carry unless the request really had it. */
function expectNothingPlanted(e: AccessEvent, r: Request): void {
  expect(e.key_id).not.toBe(PLANTED_KEY_ID);
  if (r.apiKey !== PLANTED_KEY && !r.query.includes(PLANTED_KEY)) expect(e.key_id).not.toBe(PLANTED_KEY_HMAC);
  expect(e.id).not.toBe(PLANTED_REQUEST_ID);
  if (!r.path.includes('planted')) expect(e.request.route).not.toContain('planted');
  // The raw key never travels, whatever field it was in.
  if (r.apiKey !== null) expect(JSON.stringify(e)).not.toContain(r.apiKey.replace(/^Bearer /, ''));
}

describe.each(FORMATS)('%s: every event field comes from its own source field', (format) => {
  it('reads back each field of requests whose attacker-controlled fields are hostile', () => {
    fc.assert(
      fc.property(requestCaseArb(format), (rc) => {
        const line = render(format, rc.request, rc.layout);
        const got = eventOf(format, line);
        expect(got).toEqual(expectedEvent(format, rc, line, got));
        expect(got.key_id).toBe(expectedKeyId(expectedRecord(format, rc.request, rc.layout)));
        expectNothingPlanted(got, rc.request);
      }),
      { seed: FUZZ_SEED, numRuns: RUNS },
    );
  });

  it('takes no key, key_id, request id or route from injection fragments in other fields', () => {
    // Envoy's text format carries them unescaped only in the query (percent-encoded): its raw case is below.
    const fields = format === 'envoy-text' ? (['query'] as const) : (['userAgent', 'referer', 'authority', 'query'] as const);
    const planted = fc.record({ fragment: fc.constantFrom(...INJECTIONS), field: fc.constantFrom(...fields) });
    fc.assert(
      fc.property(requestCaseArb(format), planted, (rc, { fragment, field }) => {
        const r = { ...rc.request };
        if (field === 'query') r.query = r.query === '' ? `q=${encodeURIComponent(fragment)}` : `${r.query}&q=${encodeURIComponent(fragment)}`;
        else r[field] = `${r[field]}${fragment}`;
        const c = { ...rc, request: r };
        const line = render(format, r, c.layout);
        const got = eventOf(format, line);
        expect(got).toEqual(expectedEvent(format, c, line, got));
        expectNothingPlanted(got, r);
      }),
      { seed: FUZZ_SEED + 1, numRuns: RUNS },
    );
  });

  it('keeps key_id, id and route of a request whose user agent is 1 MB, and rejects the line as too_long under the default limit', () => {
    const half = 'A'.repeat(512 * 1024);
    fc.assert(
      fc.property(requestCaseArb(format), fc.constantFrom(...INJECTIONS, 'plain'), (rc, fragment) => {
        const clean = format === 'envoy-text' ? 'plain' : fragment;
        const r = { ...rc.request, userAgent: `${half}${clean}${half}` };
        const c = { ...rc, request: r };
        const line = render(format, r, c.layout);
        expect(checker.check(format, line, PARSE).outcome).toBe('too_long');
        const got = eventOf(format, line, PARSE_HUGE);
        expect(got).toEqual(expectedEvent(format, c, line, got));
        expect(got.client.ua.length).toBeLessThanOrEqual(256);
        expectNothingPlanted(got, r);
      }),
      { seed: FUZZ_SEED + 2, numRuns: 8 },
    );
  });
});

describe('envoy-text, whose header values are written unescaped', () => {
  // Envoy does not escape quotes (envoyproxy/envoy#4191): a user agent `x" "…` looks like more
  // fields. Whatever a client writes into its own headers, the key field the operator appended
  // last must still give the key, and no request id or key may come from the client's text.
  const raw = fc.record({
    text: fc.constantFrom(...INJECTIONS, 'x" "a" "b" "c" "d" "e', 'curl\\', 'a\\"b', `x" "${'" "'.repeat(70)}`, `x" "${PLANTED_REQUEST_ID}`),
    field: fc.constantFrom('userAgent' as const, 'authority' as const, 'forwardedFor' as const),
  });
  const withRaw = (rc: RequestCase, text: string, field: 'userAgent' | 'authority' | 'forwardedFor') => {
    const r = { ...rc.request };
    const layout = { ...rc.layout };
    if (field === 'forwardedFor') layout.forwardedFor = `198.51.100.9${text}`;
    else r[field] = `${r[field]}${text}`;
    return { r, layout, line: render('envoy-text', r, layout) };
  };

  it('keeps key_id from the appended key field, and takes no request id or route from the client text', () => {
    fc.assert(
      fc.property(requestCaseArb('envoy-text', true), raw, (rc, { text, field }) => {
        const { r, layout, line } = withRaw(rc, text, field);
        const got = eventOf('envoy-text', line);
        const want = expectedRecord('envoy-text', r, layout);
        expect(got.key_id).toBe(expectedKeyId(want));
        expect(got.id).not.toBe(PLANTED_REQUEST_ID);
        expect(got.request.route).toBe(checker.sanitizer.toEvent({ ...(want as RawRecord), requestId: null }, line).request.route);
        expectNothingPlanted(got, r);
      }),
      { seed: FUZZ_SEED + 3, numRuns: RUNS },
    );
  });

  it("takes client.ua from the client's own header text, never from the request line or the key field", () => {
    fc.assert(
      fc.property(requestCaseArb('envoy-text', true), raw, (rc, { text, field }) => {
        const { line } = withRaw(rc, text, field);
        const got = eventOf('envoy-text', line);
        // From the first quoted field after the counters (X-Forwarded-For) to the upstream host: what
        // the client's headers and Envoy's own fields hold, as Envoy wrote it (it escapes nothing).
        const clientText = line.slice(line.indexOf(' "', line.indexOf('HTTP/1.1"') + 9), line.lastIndexOf(' "'));
        expect(clientText).toContain(got.client.ua.slice(0, 64));
      }),
      { seed: FUZZ_SEED + 5, numRuns: RUNS },
    );
  });
});

describe('nginx-combined with X-Forwarded-For logged before the key field (docker main format)', () => {
  // `"$http_x_forwarded_for"` is whatever the client sent: it must not stand in for the key.
  it('takes key_id from the key field, not from a forwarded-for value the client chose', () => {
    fc.assert(
      fc.property(requestCaseArb('nginx-combined'), fc.constantFrom(PLANTED_KEY, `Bearer ${PLANTED_KEY}`, `${PLANTED_KEY}, 10.0.0.1`), (rc, xff) => {
        const layout = { ...rc.layout, combined: 'main_key' as const, forwardedFor: xff };
        const line = render('nginx-combined', rc.request, layout);
        const got = eventOf('nginx-combined', line);
        expect(got.key_id).toBe(expectedKeyId(expectedRecord('nginx-combined', rc.request, layout)));
        expect(got.key_id).not.toBe(PLANTED_KEY_HMAC);
      }),
      { seed: FUZZ_SEED + 4, numRuns: RUNS },
    );
  });
});

describe('escaping oracles', () => {
  // The properties above are only as good as the renderers' escaping; these pin it to the gateways' documented output.
  it('write NGINX and Apache escapes as the gateways do', () => {
    expect(nginxEscape('a"b\\c\u0001é')).toBe('a\\x22b\\x5Cc\\x01\\xC3\\xA9');
    expect(apacheEscape('a"b\\c\u0001é')).toBe('a\\"b\\\\c\\x01\\xc3\\xa9');
    const line = render('nginx-combined', {
      ts: Date.UTC(2026, 10, 2, 9, 15, 0), latencyMs: 0, method: 'GET', path: '/v1/customers/42', query: 'expand=orders', status: 200,
      requestBytes: 0, responseBytes: 1534, ip: '203.0.113.7', userAgent: 'partner-sync/2.1', referer: '', authority: '', apiKey: 'sk_live_abc123', requestId: null,
    }, DEFAULT_LAYOUT);
    // The first line of test/fixtures/parsers/nginx-combined--constructed-extra-fields/input.log.
    expect(line).toBe('203.0.113.7 - - [02/Nov/2026:09:15:00 +0000] "GET /v1/customers/42?expand=orders HTTP/1.1" 200 1534 "-" "partner-sync/2.1" "sk_live_abc123"');
  });

  it('plant the planted values where the properties look for them', () => {
    expect(PLANTED_KEY_HMAC).toMatch(/^[0-9a-f]{32}$/);
    expect(INJECTIONS.some((f) => f.includes(PLANTED_KEY_ID))).toBe(true);
    expect(INJECTIONS.some((f) => f.includes(PLANTED_REQUEST_ID))).toBe(true);
    expect(INJECTIONS.some((f) => f.includes(PLANTED_PATH))).toBe(true);
  });
});
