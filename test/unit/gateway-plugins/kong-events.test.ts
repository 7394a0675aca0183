/**
 * The Kong plugin's events against the agent's own: for generated requests, the AccessEvent the
 * Lua plugin queues (run under LuaJIT by gateway-plugins/kong/spec/support/emit.lua) must pass
 * the contract's validator and equal, field for field, the event the agent makes from Kong's
 * built-in http-log record of the same request (parseKongObject → Sanitizer), which is the
 * zero-code path. key_id, route template, object hashes, parameter shapes, everything.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateAccessEvent } from '../../../contracts/index.js';
import { parseKongObject } from '../../../agent/parsers/kong.js';
import { isRejection } from '../../../agent/parsers/raw-record.js';
import { Sanitizer } from '../../../agent/sanitize/index.js';
import { KONG_PLUGIN_DIR, missingLuaTools } from '../../support/lua.js';

const missing = missingLuaTools();
const SECRET = 'kong-parity-secret-0123456789';

interface PluginConf {
  secret: string;
  host: string;
  gateway: string;
  key_headers: string[];
  bearer: boolean;
  key_params: string[];
  raw_params: string[];
  truncate_ip: boolean;
}

interface KongRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[]>;
  ip: string;
  start_ms: number;
  status: number;
  request_id: string;
  request_length: string;
  bytes_sent: string;
  request_time: string;
  credential_id?: string;
  consumer_id?: string;
  service?: { id?: string; name?: string };
  route?: { id?: string; name?: string };
}

const CONFS: PluginConf[] = [
  {
    secret: SECRET,
    host: 'kong-host',
    gateway: 'kong',
    key_headers: ['x-api-key', 'apikey', 'api-key'],
    bearer: true,
    key_params: ['api_key', 'apikey', 'key', 'access_token', 'token'],
    raw_params: [],
    truncate_ip: false,
  },
  {
    secret: 'another-secret-with-ütf8-ß',
    host: 'edge_2',
    gateway: 'kong-eu',
    key_headers: ['x-partner-key'],
    bearer: false,
    key_params: ['sig', 'API_KEY'],
    raw_params: ['sort', 'q'],
    truncate_ip: true,
  },
];

/** What Kong's http-log sends for the request (kong.log.serialize()), as the agent's POST /kong reads it. */
function serialized(r: KongRequest): Record<string, unknown> {
  return {
    request: { id: r.request_id, method: r.method, uri: r.query === '' ? r.path : `${r.path}?${r.query}`, headers: r.headers, size: Number(r.request_length) },
    response: { status: r.status, size: Number(r.bytes_sent) },
    latencies: { request: Number(r.request_time) * 1000 },
    started_at: r.start_ms,
    client_ip: r.ip,
    ...(r.credential_id ? { authenticated_entity: { id: r.credential_id } } : {}),
    ...(r.consumer_id ? { consumer: { id: r.consumer_id } } : {}),
    ...(r.service ? { service: r.service } : {}),
    ...(r.route ? { route: r.route } : {}),
  };
}

function agentEvent(conf: PluginConf, r: KongRequest): unknown {
  const raw = parseKongObject(serialized(r), { maxLineBytes: 65_536, keyHeaders: conf.key_headers, bearer: conf.bearer });
  if (isRejection(raw)) throw new Error(`the agent rejected ${JSON.stringify(r)}: ${raw}`);
  const sanitizer = new Sanitizer({
    secret: conf.secret,
    gateway: conf.gateway,
    host: conf.host,
    keyParams: conf.key_params,
    rawParams: conf.raw_params,
    truncateIp: conf.truncate_ip,
  });
  // Published as JSON: compare what the wire carries (-0 is 0 there).
  return JSON.parse(JSON.stringify(sanitizer.toEvent(raw, '')));
}

function runPlugin(inputs: Array<{ conf: PluginConf; request: KongRequest }>): unknown[] {
  const run = spawnSync('luajit', ['spec/support/emit.lua'], {
    cwd: KONG_PLUGIN_DIR,
    input: inputs.map((i) => JSON.stringify(i)).join('\n') + '\n',
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (run.status !== 0) throw new Error(`luajit failed (${run.status}): ${run.stderr}`);
  return run.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown);
}

const word = fc.constantFrom('v1', 'v2beta', 'customers', 'orders', 'invoices', 'api', 'search', 'café', 'oauth2', 'items');
const segment = fc.oneof(
  { weight: 4, arbitrary: word },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 10_000_000 }).map(String) },
  fc.uuid(),
  fc.stringMatching(/^[0-9a-f]{16,40}$/),
  fc.emailAddress(),
  fc.stringMatching(/^[A-Z]{2,4}-[0-9]{3,8}$/),
  fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }),
  fc.constant('z'.repeat(70)),
);
// A path is what comes before `?` in the request line: no `?`, `#` or `/` inside a segment.
const path = fc.array(segment.map((s) => s.replace(/[/?#]/g, 'x')), { minLength: 0, maxLength: 6 }).map((segs) => `/${segs.join('/')}`);
const value = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom('true', 'false', '', '-0', '007', '1.50', '2024-01-05', 'a,b', '@x', 'x@y', '%zz', '%E0%A4%A', '%ED%A0%80', '+', 'created_at desc'),
  fc.uuid(),
  fc.emailAddress(),
  fc.stringMatching(/^[0-9a-fA-F]{16,40}$/),
);
const paramName = fc.oneof(fc.constantFrom('page', 'limit', 'q', 'sort', 'api_key', 'API_KEY', 'token', 'sig', 'filter[name]', 'a b', ''), fc.string({ maxLength: 8 }));
const query = fc
  .array(fc.tuple(paramName, value, fc.constantFrom('raw', 'encoded', 'plus')), { maxLength: 8 })
  .map((pairs) =>
    pairs
      .map(([n, v, enc]) => {
        const encoded = enc === 'raw' ? v.replace(/[&#]/g, '') : enc === 'encoded' ? encodeURIComponent(v) : encodeURIComponent(v).replace(/%20/g, '+');
        return `${encodeURIComponent(n)}=${encoded}`;
      })
      .join('&'),
  );
const key = fc.stringMatching(/^[A-Za-z0-9_.~+-]{1,40}$/);
const headers = fc.record(
  {
    'x-api-key': fc.oneof(key, fc.constantFrom('', '-', ' padded-key ', 'Bearer inside-key', 'Basic dXNlcjpwYXNz'), fc.array(key, { minLength: 2, maxLength: 2 })),
    'x-partner-key': key,
    apikey: key,
    authorization: fc.oneof(key.map((k) => `Bearer ${k}`), key.map((k) => `bearer   ${k}  `), fc.constantFrom('Basic dXNlcjpwYXNz', 'Bearer ', 'Digest x=1')),
    'user-agent': fc.oneof(fc.constantFrom('curl/8.5.0', 'Mozilla/5.0 (X11; Linux x86_64)', ''), fc.string({ maxLength: 120 })),
    cookie: fc.constant('session=never-published'),
  },
  { requiredKeys: [] },
);
// Kong names; some the contract refuses (a space, too long), so the plugin and the agent must both drop them.
const gatewayName = fc.oneof(fc.constantFrom('orders-api', 'billing.v2', 'svc:eu|1', 'has space', 'x'.repeat(129), ''), fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/));
const gatewayObject = fc.record({ id: fc.uuid(), name: gatewayName }, { requiredKeys: [] });
const request: fc.Arbitrary<KongRequest> = fc.record(
  {
    method: fc.constantFrom('GET', 'POST', 'DELETE', 'PATCH', 'purge', 'M-SEARCH'),
    path,
    query,
    headers,
    ip: fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('unix:', '10.0.0.1%eth0', '')),
    start_ms: fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
    status: fc.constantFrom(200, 201, 204, 301, 404, 429, 500, 503),
    request_id: fc.stringMatching(/^[0-9a-f]{32}$/),
    request_length: fc.integer({ min: 0, max: 100_000 }).map(String),
    bytes_sent: fc.integer({ min: 0, max: 10_000_000 }).map(String),
    request_time: fc.integer({ min: 0, max: 60_000 }).map((ms) => (ms / 1000).toFixed(3)),
    credential_id: fc.uuid(),
    consumer_id: fc.oneof(fc.uuid(), fc.constantFrom('partner-acme', 'üser@example.com')),
    service: gatewayObject,
    route: gatewayObject,
  },
  { requiredKeys: ['method', 'path', 'query', 'headers', 'ip', 'start_ms', 'status', 'request_id', 'request_length', 'bytes_sent', 'request_time'] },
);

describe.skipIf(missing.length > 0)('Kong plugin events = the agent’s events for the same request', () => {
  it('agree on every field, and pass the AccessEvent v1 validator, for 600 generated requests under two configs', () => {
    const requests = fc.sample(request, { numRuns: 300, seed: 20261125 });
    const inputs = CONFS.flatMap((conf) => requests.map((r) => ({ conf, request: r })));
    const events = runPlugin(inputs);
    expect(events).toHaveLength(inputs.length);
    let keyed = 0;
    let withContext = 0;
    let withParams = 0;
    let withObjects = 0;
    inputs.forEach(({ conf, request: r }, i) => {
      const e = events[i] as { key_id: string | null; request: { params: unknown[]; objects: unknown[] }; context?: { consumer_id?: string; service?: string } };
      expect(validateAccessEvent(e), JSON.stringify(validateAccessEvent.errors)).toBe(true);
      expect(e, JSON.stringify(r)).toEqual(agentEvent(conf, r));
      if (e.key_id !== null) keyed++;
      if (e.context?.consumer_id !== undefined && e.context.service !== undefined) withContext++;
      if (e.request.params.length > 0) withParams++;
      if (e.request.objects.length > 0) withObjects++;
    });
    // The sample exercised what it claims to.
    expect(keyed).toBeGreaterThan(300);
    expect(withContext).toBeGreaterThan(100);
    expect(withParams).toBeGreaterThan(300);
    expect(withObjects).toBeGreaterThan(200);
    expect(JSON.stringify(events)).not.toContain('never-published');
  });
});
