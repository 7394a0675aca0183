/**
 * Generators of requests with known field values: fast-check arbitraries for the properties
 * (they shrink to a small counterexample) and a seeded generator for the bulk run (cheaper per
 * line). Attacker-controlled fields (user agent, referer, authority, query values, path
 * segments) carry hostile text and injection fragments; the key and the request id are clean
 * values the event can be checked against.
 */
import fc from 'fast-check';
import type { Rng } from '../../sim/prng.js';
import type { Format } from './corpus.js';
import { INJECTIONS, PLANTED_KEY, PLANTED_REQUEST_ID, SPECIALS } from './hostile.js';
import type { Layout, Request } from './render.js';

const WORDS = ['v1', 'v2', 'customers', 'orders', 'items', 'search', 'export', 'invoices', 'me', 'healthz', 'a', 'DAV', 'wp-admin', 'index.php'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'PROPFIND', 'NETSPARKER', 'get', 'M-SEARCH', 'X'.repeat(20)];
const AGENTS = ['curl/8.5.0', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36', 'partner-sync/2.1', 'python-requests/2.31', '-', ''];
const PARAM_NAMES = ['page', 'limit', 'q', 'sort', 'id', 'expand', 'api_key', 'token', 'Key', 'x[]', 'a.b', 'n%61me', '%zz', ''];
const IPS = ['203.0.113.7', '10.0.0.1', '198.51.100.4', '2001:db8::5', '::1', '192.168.0.255'];

/** What a field may hold, by how much the line format protects it. */
export type Protection = 'json' | 'escaped' | 'envoy-clean' | 'envoy-raw';

export function protectionOf(format: Format, injected: boolean): Protection {
  if (format === 'nginx-combined') return 'escaped';
  if (format === 'envoy-text') return injected ? 'envoy-raw' : 'envoy-clean';
  return 'json';
}

/** True when Envoy's unescaped text could not say where this value ends. */
export const envoyAmbiguous = (s: string): boolean => /"[ \t]|\\|[\r\n]/.test(s);

// --- fast-check --------------------------------------------------------------------------------

const special = fc.constantFrom(...SPECIALS);
const injection = fc.constantFrom(...INJECTIONS);
const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 12 });

/** Free text for a field of the given protection. */
function textArb(p: Protection, maxLength = 8): fc.Arbitrary<string> {
  const unit =
    p === 'envoy-clean'
      ? fc.oneof(printable, fc.constantFrom(...AGENTS.filter((a) => a !== '')), fc.constantFrom('é', '😀', '(', ')', ';', '"x', 'a"b'))
      : fc.oneof({ weight: 4, arbitrary: printable }, { weight: 2, arbitrary: special }, { weight: 1, arbitrary: injection }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) });
  const s = fc.array(unit, { maxLength }).map((parts) => parts.join(''));
  return p === 'envoy-clean' ? s.filter((v) => !envoyAmbiguous(v) && !v.endsWith('"')) : s;
}

function segmentArb(p: Protection): fc.Arbitrary<string> {
  const plain = fc.oneof(
    fc.constantFrom(...WORDS),
    fc.integer({ min: 0, max: 999_999_999 }).map(String),
    fc.uuid(),
    fc.stringMatching(/^[0-9a-f]{16,24}$/),
    fc.constantFrom('jane.doe@example.com', 'SKU-12345', 'a1b2c3d4', '..', '%2F', '%E2%82%AC', 'x'.repeat(70)),
  );
  if (p === 'envoy-clean' || p === 'envoy-raw') return plain;
  // No `?`: it starts the query.
  const hostile = textArb(p, 3).map((s) => s.replace(/[?]/g, ''));
  return fc.oneof({ weight: 3, arbitrary: plain }, { weight: 1, arbitrary: hostile });
}

function queryArb(p: Protection): fc.Arbitrary<string> {
  const clean = p === 'envoy-clean' || p === 'envoy-raw';
  const value = clean
    ? fc.oneof(fc.integer({ min: -5, max: 100_000 }).map(String), fc.constantFrom('abc', 'a%20b', '2026-11-02', 'true', '%ZZ', ''))
    : fc.oneof(fc.integer({ min: -5, max: 100_000 }).map(String), textArb(p, 3));
  const pair = fc.tuple(fc.constantFrom(...PARAM_NAMES), value, fc.boolean()).map(([n, v, eq]) => (eq ? `${n}=${v}` : n));
  return fc.array(pair, { maxLength: 5 }).map((pairs) => pairs.join('&'));
}

export const keyArb: fc.Arbitrary<string | null> = fc.oneof(
  fc.constant(null),
  fc.stringMatching(/^sk_(live|test)_[A-Za-z0-9]{8,32}$/),
  fc.stringMatching(/^[A-Za-z0-9+/]{20,40}={0,2}$/).map((k) => `k${k}`),
  fc.stringMatching(/^[A-Za-z0-9._~-]{8,40}$/).map((t) => `Bearer tok_${t}`),
);

const requestIdArb: fc.Arbitrary<string | null> = fc.oneof(fc.constant(null), fc.uuid(), fc.stringMatching(/^[0-9a-f]{32}$/), fc.constantFrom('short', 'not a request id'));

export interface RequestCase {
  request: Request;
  layout: Layout;
}

/** A request and a layout for `format`; `injected`: attacker fields may break Envoy's fields. */
export function requestCaseArb(format: Format, injected = false): fc.Arbitrary<RequestCase> {
  const p = protectionOf(format, injected);
  const free = (n: number) => (p === 'envoy-raw' ? fc.oneof(textArb('envoy-clean', n), textArb('json', n), injection) : textArb(p, n));
  const request = fc.record({
    // Up to now: the agent refuses times more than a day past its clock (MAX_AHEAD_MS).
    ts: fc.integer({ min: Date.UTC(2001, 0, 1), max: Date.UTC(2025, 11, 31) }),
    latencyMs: fc.integer({ min: 0, max: 600_000 }),
    method: p === 'json' ? fc.oneof(fc.constantFrom(...METHODS), textArb(p, 2).filter((m) => m !== '' && m !== '-')) : fc.constantFrom(...METHODS),
    path: fc.array(segmentArb(p), { minLength: 0, maxLength: 6 }).map((s) => `/${s.join('/')}`),
    query: queryArb(p),
    status: fc.integer({ min: 0, max: 999 }),
    requestBytes: fc.integer({ min: 0, max: 2 ** 40 }),
    responseBytes: fc.integer({ min: 0, max: 2 ** 40 }),
    ip: fc.constantFrom(...IPS),
    userAgent: free(10),
    referer: free(4),
    authority: p === 'envoy-clean' ? fc.constantFrom('api.example.com', 'localhost:9001', '-') : free(3),
    apiKey: keyArb,
    requestId: requestIdArb,
  });
  const layout = fc.record({
    escaping: fc.constantFrom('nginx' as const, 'apache' as const),
    combined: fc.constantFrom('combined_key' as const, 'main_key' as const),
    forwardedFor: fc.constantFrom('', '-', '198.51.100.9', '198.51.100.9, 10.0.0.1', '2001:db8::9, 10.0.0.2'),
    zoneMinutes: fc.constantFrom(0, 60, -330, 345, -720, 840),
    envoy: fc.constantFrom('default' as const, 'gateway' as const, 'istio' as const),
    accessPrefix: fc.boolean(),
    envoyJson: fc.constantFrom('strings' as const, 'numbers' as const, 'gateway-keys' as const, 'docker' as const),
  });
  return fc.record({ request, layout }).map(({ request: r, layout: l }) => {
    // Envoy lists X-Forwarded-For as the client sent it plus the peer; NGINX's main format logs the header alone.
    if (format === 'envoy-text' && l.forwardedFor === '-') return { request: r, layout: { ...l, forwardedFor: '' } };
    return { request: r, layout: l };
  });
}

// --- seeded, for the bulk run ------------------------------------------------------------------

/** Percent-encoded, or as it is when it holds a surrogate (a lone one cannot be encoded: the raw text is the test). */
const encodeOrRaw = (s: string): string => (/[\ud800-\udfff]/.test(s) ? s : encodeURIComponent(s));

/** A request with hostile attacker fields, drawn from `rng` (no shrinking, but cheap). */
export function randomRequest(rng: Rng, format: Format, attackTargets: readonly string[], agents: readonly string[]): Request {
  const hostile = (n: number) => {
    let s = '';
    const k = rng.int(0, n);
    for (let i = 0; i < k; i++) {
      const c = rng.int(0, 9);
      s += c < 5 ? rng.pick(WORDS) : c < 8 ? rng.pick(SPECIALS) : c < 9 ? rng.pick(INJECTIONS) : String.fromCharCode(rng.int(0, 0xffff));
    }
    return s;
  };
  const text = format === 'nginx-combined' || format === 'envoy-text';
  let path = `/${Array.from({ length: rng.int(0, 6) }, () => (rng.chance(0.3) ? String(rng.int(0, 1e9)) : rng.pick(WORDS))).join('/')}`;
  let query = Array.from({ length: rng.int(0, 4) }, () => `${rng.pick(PARAM_NAMES)}=${rng.chance(0.5) ? rng.int(-5, 1e6) : encodeOrRaw(hostile(2))}`).join('&');
  if (attackTargets.length > 0 && rng.chance(0.3)) {
    const t = rng.pick(attackTargets);
    const q = t.indexOf('?');
    path = q < 0 ? t : t.slice(0, q) || '/';
    query = q < 0 ? '' : t.slice(q + 1);
  }
  if (!text && rng.chance(0.2)) path += `/${hostile(3).replace(/\?/g, '')}`;
  return {
    ts: Date.UTC(2001, 0, 1) + rng.int(0, 700_000_000) * 1000 + rng.int(0, 999),
    latencyMs: rng.int(0, 600_000),
    method: rng.pick(METHODS),
    path,
    query,
    status: rng.int(0, 999),
    requestBytes: rng.int(0, 2 ** 31),
    responseBytes: rng.int(0, 2 ** 31),
    ip: rng.pick(IPS),
    userAgent: rng.chance(0.5) && agents.length > 0 ? rng.pick(agents) : hostile(8),
    referer: hostile(3),
    authority: rng.chance(0.7) ? 'api.example.com' : hostile(3),
    apiKey: rng.chance(0.2) ? null : rng.chance(0.1) ? PLANTED_KEY : `sk_live_${rng.hex(rng.int(8, 32))}`,
    requestId: rng.chance(0.3) ? null : rng.chance(0.1) ? PLANTED_REQUEST_ID : rng.hex(32),
  };
}

export function randomLayout(rng: Rng): Layout {
  return {
    escaping: rng.chance(0.5) ? 'nginx' : 'apache',
    combined: rng.chance(0.7) ? 'combined_key' : 'main_key',
    forwardedFor: rng.pick(['', '-', '198.51.100.9', '198.51.100.9, 10.0.0.1']),
    zoneMinutes: rng.pick([0, 60, -330, 345, -720, 840]),
    envoy: rng.pick(['default', 'gateway', 'istio'] as const),
    accessPrefix: rng.chance(0.2),
    envoyJson: rng.pick(['strings', 'numbers', 'gateway-keys', 'docker'] as const),
  };
}
