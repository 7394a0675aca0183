/**
 * Every route of the API at once, taken from its own OpenAPI document: each needs the scope it
 * says (401 without a valid token, 403 for a read token on a change), answers bad input of every
 * kind with a 4xx JSON error naming what was wrong (never a 500, never a stack trace), and is
 * documented with the schemas of contracts/.
 */
import { describe, expect, it } from 'vitest';
import { AlertSchema, VerdictSchema, WebhookTargetSchema } from '../../../../contracts/index.js';
import { calibrationOptions } from '../../../../detector/alerts/calibration.js';
import { MemoryCalibrationStore } from '../../../../detector/alerts/calibration-store.js';
import { Calibrator } from '../../../../detector/alerts/calibrator.js';
import { MemoryAlertStore } from '../../../../detector/alerts/memory-alert-store.js';
import { AlertReview } from '../../../../detector/alerts/review.js';
import { MemoryKeyRiskStore } from '../../../../detector/alerts/memory-key-risk-store.js';
import { buildApi } from '../../../../detector/api/app.js';
import { MemoryProfileStore } from '../../../../detector/profiles/memory-store.js';
import { MemoryOutbox } from '../../../../detector/webhooks/memory-outbox.js';
import { WebhookTargets } from '../../../../detector/webhooks/registry.js';
import { MemoryTargetStore } from '../../../../detector/webhooks/target-store.js';
import { KEYS, makeAlert } from '../../../support/alerts.js';

const READ = 'sweep-read-token-51d0c2';
const ADMIN = 'sweep-admin-token-8e77a1';
const SECRET = 'sweep-webhook-secret-0c4f9e2a';

/** Every route the API serves: the document must list exactly these. */
const ROUTES = [
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /v1/alerts',
  'GET /v1/alerts/{id}',
  'POST /v1/alerts/{id}/ack',
  'POST /v1/alerts/{id}/resolve',
  'POST /v1/alerts/{id}/feedback',
  'DELETE /v1/alerts/{id}/feedback',
  'GET /v1/calibration',
  'GET /v1/calibration/{key_id}',
  'POST /v1/calibration/{key_id}/reset',
  'GET /v1/keys',
  'GET /v1/keys/{key_id}',
  'GET /v1/webhooks',
  'POST /v1/webhooks',
  'GET /v1/webhooks/{name}',
  'DELETE /v1/webhooks/{name}',
];
const PUBLIC = new Set(['GET /healthz', 'GET /readyz']);

async function setup() {
  const alerts = new MemoryAlertStore();
  await alerts.put(makeAlert(0));
  const risk = new MemoryKeyRiskStore();
  risk.record(KEYS[0] as string, 1, 0.5);
  const outbox = new MemoryOutbox();
  const targets = new WebhookTargets(
    [{ name: 'siem', url: 'https://93.184.216.34/hook', format: 'generic', secret: SECRET, min_severity: 'low', gateways: [], origin: 'config' }],
    new MemoryTargetStore(),
    outbox,
    { allowPrivate: false, resolve: async () => [{ address: '93.184.216.34', family: 4 }] },
  );
  const calibration = new Calibrator({
    store: new MemoryCalibrationStore(),
    options: calibrationOptions({ enabled: true, key_step: 0.05, kind_step: 0.01, kind_min_labels: 5, max_raise: 0.2, max_lower: 0.1, max_threshold: 0.9, half_life_days: 30 }),
    base: 0.6,
  });
  return buildApi({
    alerts,
    review: new AlertReview({ store: alerts, calibration }),
    calibration,
    keys: { risk, profiles: new MemoryProfileStore() },
    webhooks: { targets, outbox },
    health: { nats: async () => undefined, redis: async () => undefined },
    metrics: () => [],
    tokens: { read: [READ], admin: [ADMIN] },
    ui: false,
  });
}

const good: Record<string, string> = { id: makeAlert(0).id, key_id: KEYS[0] as string, name: 'siem' };
const fill = (path: string, value?: string) => path.replace(/\{(\w+)\}/g, (_m, p: string) => value ?? (good[p] as string));
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

type Doc = {
  components: { schemas: Record<string, unknown> };
  paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }>; requestBody?: { content: Record<string, { schema: unknown }> }; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
};

/** An error reply as every route must give it: JSON, its status inside, a message, no internals. */
function expectError(r: { statusCode: number; body: string; headers: Record<string, unknown> }, status: number | RegExp, what: string) {
  if (typeof status === 'number') expect(r.statusCode, what).toBe(status);
  else expect(String(r.statusCode), what).toMatch(status);
  expect(String(r.headers['content-type']), what).toContain('application/json');
  const body = JSON.parse(r.body) as Record<string, unknown>;
  expect(Object.keys(body).sort(), what).toEqual(['error', 'message', 'statusCode']);
  expect(body.statusCode, what).toBe(r.statusCode);
  expect(r.body, what).not.toMatch(/node_modules|\n\s+at |\.ts:\d+|FST_ERR|stack/);
  return body as { statusCode: number; error: string; message: string };
}

describe('every API route', () => {
  it('is in the OpenAPI document at /docs/json, and nothing else is', async () => {
    const app = await setup();
    const doc = (await app.inject({ url: '/docs/json' })).json() as Doc;
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(listed.sort()).toEqual([...ROUTES].sort());
  });

  it('is documented with the very schemas of contracts/', async () => {
    const app = await setup();
    const doc = (await app.inject({ url: '/docs/json' })).json() as Doc;
    // OpenAPI 3.0 has no `const` and no `$id`: the document says `enum: [x]` and drops the id.
    const json = (s: unknown): unknown =>
      JSON.parse(JSON.stringify(s), function (this: unknown, k, v: unknown) {
        if (k === '$id') return undefined;
        if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'const' in v) {
          const { const: c, ...rest } = v as { const: unknown };
          return { ...rest, enum: [c] };
        }
        return v;
      }) as unknown;
    // A schema used twice is a shared component: follow the $ref.
    const deref = (x: unknown): unknown => {
      const ref = (x as { $ref?: string } | undefined)?.$ref;
      return ref === undefined ? x : doc.components.schemas[ref.replace('#/components/schemas/', '')];
    };
    const reply = (path: string, method: string, code = '200') => deref(doc.paths[path]?.[method]?.responses[code]?.content?.['application/json']?.schema);
    expect(reply('/v1/alerts/{id}', 'get')).toEqual(json(AlertSchema));
    expect(reply('/v1/alerts/{id}/ack', 'post')).toEqual(json(AlertSchema));
    expect(deref((reply('/v1/alerts', 'get') as { properties: { alerts: { items: unknown } } }).properties.alerts.items)).toEqual(json(AlertSchema));
    const feedback = doc.paths['/v1/alerts/{id}/feedback']?.post?.requestBody?.content['application/json']?.schema as { properties: { verdict: unknown } };
    expect(feedback.properties.verdict).toEqual(json(VerdictSchema));
    expect(doc.paths['/v1/webhooks']?.post?.requestBody?.content['application/json']?.schema).toEqual(json(WebhookTargetSchema));
    expect(reply('/v1/alerts/{id}', 'get', '400')).toMatchObject({ required: ['statusCode', 'error', 'message'] });
  });

  it.each(ROUTES)('%s needs its scope: 401 without a valid token, 403 for a read token on a change', async (route) => {
    const app = await setup();
    const [method, path] = route.split(' ') as ['GET' | 'POST' | 'DELETE', string];
    const url = fill(path);
    const call = (headers: Record<string, string>) => app.inject({ method, url, headers });
    if (PUBLIC.has(route)) {
      expect((await call({})).statusCode).toBe(200);
      return;
    }
    for (const headers of [{}, bearer('not-a-token-of-ours'), { authorization: `Basic ${ADMIN}` }, bearer(`${ADMIN} `)]) {
      const r = await call(headers);
      const body = expectError(r, 401, `${route} ${JSON.stringify(headers)}`);
      expect(body.message).not.toContain(ADMIN);
      expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    const asReader = await call(bearer(READ));
    if (method === 'GET') expect(asReader.statusCode).not.toBeGreaterThanOrEqual(401);
    else expect(expectError(asReader, 403, route).message).toContain('admin');
  });

  it.each(ROUTES.filter((r) => r.includes('{')))('%s answers a malformed, over-long or badly encoded path parameter with a JSON 4xx', async (route) => {
    const app = await setup();
    const [method, path] = route.split(' ') as ['GET' | 'POST' | 'DELETE', string];
    const param = /\{(\w+)\}/.exec(path)?.[1] as string;
    const bad = expectError(await app.inject({ method, url: fill(path, 'ZZ..'), headers: bearer(ADMIN) }), 400, route);
    expect(bad.message).toContain(param);
    expectError(await app.inject({ method, url: fill(path, 'a'.repeat(500)), headers: bearer(ADMIN) }), 414, route);
    expectError(await app.inject({ method, url: fill(path, '%E0%A4%A'), headers: bearer(ADMIN) }), 400, route);
  });

  /** A body each change accepts, so that only the part under test is wrong. */
  const VALID: Record<string, object> = {
    'POST /v1/alerts/{id}/feedback': { verdict: 'true_positive' },
    'POST /v1/webhooks': { name: 'new-target', url: 'https://93.184.216.34/hook', secret: SECRET },
  };

  it.each(ROUTES.filter((r) => r.includes('/v1/')))('%s refuses an unknown query parameter, naming it', async (route) => {
    const app = await setup();
    const [method, path] = route.split(' ') as ['GET' | 'POST' | 'DELETE', string];
    const valid = VALID[route];
    const r = await app.inject({
      method,
      url: `${fill(path)}?colour=red`,
      headers: { ...bearer(ADMIN), ...(valid ? { 'content-type': 'application/json' } : {}) },
      ...(valid ? { payload: JSON.stringify(valid) } : {}),
    });
    expect(expectError(r, 400, route).message).toContain('colour');
  });

  const bodies: Array<[string, string, Record<string, string>, RegExp, string]> = [
    ['a body over the limit', JSON.stringify({ verdict: 'false_positive', note: 'x'.repeat(70_000) }), {}, /^413$/, 'too large'],
    ['deeply nested JSON', `{"verdict":${'['.repeat(30_000)}${']'.repeat(30_000)}}`, {}, /^400$/, 'body'],
    ['deeply nested objects', `${'{"a":'.repeat(8_000)}1${'}'.repeat(8_000)}`, {}, /^400$/, 'body'],
    ['a prototype-poisoning key', '{"__proto__":{"admin":true}}', {}, /^400$/, 'JSON'],
    ['a constructor.prototype key', '{"constructor":{"prototype":{"admin":true}}}', {}, /^400$/, 'JSON'],
    ['invalid JSON', '{"verdict":', {}, /^400$/, 'JSON'],
    ['an array', '[{"verdict":"false_positive"}]', {}, /^400$/, 'body'],
    ['a bare string', '"false_positive"', {}, /^400$/, 'body'],
    ['a number', '42', {}, /^400$/, 'body'],
    ['a form body', 'verdict=false_positive', { 'content-type': 'application/x-www-form-urlencoded' }, /^415$/, 'media type'],
    ['a wrong Content-Length', '{"verdict":"false_positive"}', { 'content-length': '5' }, /^400$/, 'content-length'],
  ];
  const changes = ROUTES.filter((r) => r.startsWith('POST'));
  it.each(changes.flatMap((route) => bodies.map((b) => [route, ...b] as const)))('%s with %s is a JSON 4xx', async (route, _what, payload, headers, status, text) => {
    const app = await setup();
    const [, path] = route.split(' ') as [string, string];
    const r = await app.inject({ method: 'POST', url: fill(path), headers: { ...bearer(ADMIN), 'content-type': 'application/json', ...headers }, payload });
    const body = expectError(r, status, route);
    expect(body.message.toLowerCase()).toContain(text.toLowerCase());
  });

  it.each(changes)('%s refuses an unknown field beside valid ones, naming it', async (route) => {
    const app = await setup();
    const [, path] = route.split(' ') as [string, string];
    const payload = JSON.stringify({ ...VALID[route], zzz_unknown: 1 });
    const r = await app.inject({ method: 'POST', url: fill(path), headers: { ...bearer(ADMIN), 'content-type': 'application/json' }, payload });
    expect(expectError(r, 400, route).message).toContain('zzz_unknown');
  });

  it.each([
    ['POST /v1/alerts/{id}/feedback', { verdict: 1 }, 'verdict'],
    ['POST /v1/alerts/{id}/feedback', { verdict: 'false_positive', note: ['x'] }, 'note'],
    ['POST /v1/alerts/{id}/feedback', { verdict: 'false_positive', note: null }, 'note'],
    ['POST /v1/alerts/{id}/feedback', { verdict: 'FALSE_POSITIVE' }, 'verdict'],
    ['POST /v1/alerts/{id}/ack', { force: true }, 'force'],
    ['POST /v1/alerts/{id}/resolve', { status: 'resolved' }, 'status'],
    ['POST /v1/webhooks', { name: 'x', url: 'https://93.184.216.34/', secret: SECRET, min_severity: 3 }, 'min_severity'],
    ['POST /v1/webhooks', { name: 'x', url: 'https://93.184.216.34/', secret: 12345678901234567890 }, 'secret'],
    ['POST /v1/webhooks', { name: 'x', url: 'https://93.184.216.34/', secret: SECRET, gateways: [1] }, 'gateways'],
    ['POST /v1/webhooks', { name: 'x'.repeat(200), url: 'https://93.184.216.34/', secret: SECRET }, 'name'],
    ['POST /v1/webhooks', { name: 'x', url: `https://93.184.216.34/${'a'.repeat(5000)}`, secret: SECRET }, 'url'],
    ['GET /v1/alerts?limit=abc', undefined, 'limit'],
    ['GET /v1/alerts?limit=1.5', undefined, 'limit'],
    ['GET /v1/alerts?status=closed', undefined, 'status'],
    ['GET /v1/alerts?gateway=a.b', undefined, 'gateway'],
    ['GET /v1/alerts?severity=high&severity=low', undefined, 'severity'],
    ['GET /v1/alerts?to=1e400', undefined, 'to'],
    ['GET /v1/keys?limit=-1', undefined, 'limit'],
    ['GET /v1/calibration?limit=0', undefined, 'limit'],
    ['GET /v1/calibration?limit=x', undefined, 'limit'],
  ] as const)('%s %j: wrong types are a 400 naming the field', async (route, payload, field) => {
    const app = await setup();
    const [method, path] = route.split(' ') as ['GET' | 'POST', string];
    const r = await app.inject({
      method,
      url: fill(path),
      headers: { ...bearer(ADMIN), ...(payload ? { 'content-type': 'application/json' } : {}) },
      ...(payload ? { payload: JSON.stringify(payload) } : {}),
    });
    const body = expectError(r, 400, route);
    expect(body.message).toContain(field);
    expect(r.body).not.toContain(SECRET);
  });

  it('answers an unknown method or path with a JSON 404', async () => {
    const app = await setup();
    for (const [method, url] of [['PUT', `/v1/alerts/${good.id}`], ['DELETE', '/v1/alerts'], ['PATCH', '/v1/webhooks/siem'], ['GET', '/v2/alerts']] as const) {
      expectError(await app.inject({ method, url, headers: bearer(ADMIN) }), 404, `${method} ${url}`);
    }
  });
});
