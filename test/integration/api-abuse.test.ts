/**
 * Abuse of the two servers users expose, the detector's API and the agent's http input, each on a
 * real loopback port (and through app.inject where a socket adds nothing): authentication bypass
 * attempts, path tricks, hostile bodies, tampered cursors and query values, and slow clients. Every
 * attempt gets a 4xx whose JSON message says what was wrong; meanwhile and afterwards a normal
 * request succeeds, nothing is changed or published by the attempts, and no token is logged.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig, type Config } from '../../contracts/index.js';
import { MemoryAlertStore } from '../../detector/alerts/memory-alert-store.js';
import { MemoryKeyRiskStore } from '../../detector/alerts/memory-key-risk-store.js';
import { buildApi } from '../../detector/api/app.js';
import { MemoryProfileStore } from '../../detector/profiles/memory-store.js';
import { createHttpInput, type HttpInput } from '../../agent/inputs/http/index.js';
import { Agent } from '../../agent/pipeline.js';
import { ensureStreams } from '../../bin/connect.js';
import { KEYS, makeAlert } from '../support/alerts.js';
import { nginxLine } from '../support/log-lines.js';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';
import { rawHttp, type RawReply } from '../support/raw-http.js';
import { streamEvents } from '../support/stream.js';

const READ = 'abuse-read-token-6b1f0e2d9c';
const ADMIN = 'abuse-admin-token-73a4c55e18';
const AGENT_TOKEN = 'abuse-agent-token-0d9e8f7a6b';
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

/** An error reply as both servers must give it: JSON with the status inside and a message, nothing internal. */
function expectError(r: { statusCode: number; body: string }, status: number, text: string | RegExp, what = ''): void {
  expect(r.statusCode, `${what}: ${r.body}`).toBe(status);
  const body = JSON.parse(r.body) as { statusCode: number; error: string; message: string };
  expect(body.statusCode, what).toBe(status);
  expect(typeof body.error, what).toBe('string');
  if (typeof text === 'string') expect(body.message, what).toContain(text);
  else expect(body.message, what).toMatch(text);
  expect(r.body, what).not.toMatch(/node_modules|\n\s+at |\.ts:\d+|FST_ERR|stack/);
}
const raw = (r: RawReply) => ({ statusCode: r.status, body: r.body });
const get = (path: string, headers = '') => `GET ${path} HTTP/1.1\r\nHost: api\r\n${headers}Connection: close\r\n\r\n`;
const post = (path: string, headers: string, body: string, length = Buffer.byteLength(body)) =>
  `POST ${path} HTTP/1.1\r\nHost: api\r\n${headers}Content-Type: application/json\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n${body}`;

describe('detector API under abuse', () => {
  const alerts = new MemoryAlertStore();
  const risk = new MemoryKeyRiskStore();
  const id = makeAlert(0).id;
  let logs = '';
  let app: FastifyInstance;
  let port = 0;
  const auth = (t: string) => `Authorization: Bearer ${t}\r\n`;

  beforeAll(async () => {
    for (let i = 0; i < 8; i++) await alerts.put(makeAlert(i));
    risk.record(KEYS[0] as string, 1, 0.4);
    risk.record(KEYS[1] as string, 1, 0.8);
    app = buildApi({
      alerts,
      keys: { risk, profiles: new MemoryProfileStore() },
      tokens: { read: [READ], admin: [ADMIN] },
      requestTimeoutMs: 1_000,
      // The most verbose level: even trace lines must not carry a token.
      log: pino({ level: 'trace' }, { write: (s: string) => void (logs += s) }),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await app?.close();
  });

  /** The alerts page a reader sees: what every attack must leave as it was. */
  const normal = async () => {
    const r = await fetch(`http://127.0.0.1:${port}/v1/alerts?limit=500`, { headers: bearer(READ) });
    expect(r.status).toBe(200);
    return ((await r.json()) as { alerts: Array<{ id: string; status: string }> }).alerts;
  };

  it('refuses missing, wrong, malformed, oversized and misplaced credentials, saying which', async () => {
    const cases: Array<[string, Record<string, string>, string, number, string]> = [
      ['no header', {}, '/v1/alerts', 401, 'needs Authorization: Bearer'],
      ['a wrong token', bearer('abuse-wrong-token-00000000'), '/v1/alerts', 401, 'token is not valid'],
      ['the token in another case', bearer(READ.toUpperCase()), '/v1/alerts', 401, 'token is not valid'],
      ['a prefix of the token', bearer(READ.slice(0, -1)), '/v1/alerts', 401, 'token is not valid'],
      ['the token twice', { authorization: `Bearer ${READ}${READ}` }, '/v1/alerts', 401, 'token is not valid'],
      ['Basic', { authorization: `Basic ${Buffer.from(`x:${READ}`).toString('base64')}` }, '/v1/alerts', 401, 'Bearer scheme'],
      ['no scheme', { authorization: READ }, '/v1/alerts', 401, 'Bearer scheme'],
      ['Token scheme', { authorization: `Token ${READ}` }, '/v1/alerts', 401, 'Bearer scheme'],
      ['Bearer: with a colon', { authorization: `Bearer: ${READ}` }, '/v1/alerts', 401, '"Bearer <token>"'],
      ['Bearer without a token', { authorization: 'Bearer' }, '/v1/alerts', 401, '"Bearer <token>"'],
      ['two spaces', { authorization: `Bearer  ${READ}` }, '/v1/alerts', 401, 'one space'],
      ['two tokens', { authorization: `Bearer ${READ} ${ADMIN}` }, '/v1/alerts', 401, 'no spaces'],
      ['an oversized token', bearer('x'.repeat(10_000)), '/v1/alerts', 401, 'at most 1024 characters'],
      ['a control character', { authorization: `Bearer ${READ}\u0001` }, '/v1/alerts', 401, 'printable ASCII'],
      ['the token in the query string', {}, `/v1/alerts?access_token=${READ}`, 401, 'needs Authorization: Bearer'],
      ['the token as a cookie', { cookie: `token=${READ}` }, '/v1/alerts', 401, 'needs Authorization: Bearer'],
      ['the token as an API key header', { 'x-api-key': READ }, '/v1/alerts', 401, 'needs Authorization: Bearer'],
      ['a read token on a change', bearer(READ), `/v1/alerts/${id}/ack`, 403, 'admin token'],
    ];
    for (const [what, headers, url, status, text] of cases) {
      const r = await app.inject({ method: url.endsWith('/ack') ? 'POST' : 'GET', url, headers });
      expectError(r, status, text, what);
      expect(r.body, what).not.toContain(READ);
      if (status === 401) expect(r.headers['www-authenticate'], what).toMatch(/^Bearer/);
    }
    // RFC 6750: an error code only when a bearer token was tried.
    expect((await app.inject({ url: '/v1/alerts', headers: { authorization: `Basic ${READ}` } })).headers['www-authenticate']).toBe('Bearer');
    expect((await app.inject({ url: '/v1/alerts', headers: bearer('abuse-wrong-token-00000000') })).headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    // The scheme is case-insensitive (RFC 9110); the token is not.
    for (const scheme of ['bearer', 'BEARER']) expect((await app.inject({ url: '/v1/alerts', headers: { authorization: `${scheme} ${READ}` } })).statusCode).toBe(200);
    expect((await normal()).every((a) => a.status === 'open')).toBe(true);
  });

  it('refuses two Authorization headers whichever comes first, over a real socket', async () => {
    for (const [first, second] of [
      [READ, 'abuse-wrong-token-00000000'],
      ['abuse-wrong-token-00000000', READ],
      [READ, READ],
    ]) {
      const r = await rawHttp(port, get('/v1/alerts', `Authorization: Bearer ${first}\r\nauthorization: Bearer ${second}\r\n`));
      expectError(raw(r), 400, 'more than one Authorization header');
      expect(r.text).toContain('invalid_request');
    }
    const one = await rawHttp(port, get('/v1/alerts', auth(READ)));
    expect(one.status).toBe(200);
  });

  it('lets no path trick, method or encoding reach a protected route without a token', async () => {
    const tricks = [
      '//v1/alerts',
      '/v1//alerts',
      '/v1/alerts/',
      '/v1/alerts/../',
      '/v1/alerts/..',
      '/v1/alerts/.',
      '/v1/./alerts',
      '/./v1/alerts',
      '/v1/%61lerts',
      '/v1%2Falerts',
      '/v1/alerts%2F',
      `/v1/alerts/${id}%2F..%2F..%2Fkeys`,
      '/v1/alerts/%2e%2e/',
      '/V1/ALERTS',
      '/v1/alerts;token=1',
      '/v1/alerts%00',
      '/v1/alerts\\..\\',
      '/healthz/../v1/alerts',
      '/docs/../v1/alerts',
      '/ui/../v1/alerts',
      '/ui/%2e%2e/v1/alerts',
      'http://api/v1/alerts',
      '/v1/keys/',
      `/v1/keys/${KEYS[0]}/`,
      '/metrics/',
    ];
    for (const path of tricks) {
      const r = await rawHttp(port, get(path));
      // A JSON 4xx (401 where the path is a protected route, else 400/404), never the data.
      expect(r.status, path).toBeGreaterThanOrEqual(400);
      expect(r.status, path).toBeLessThan(500);
      expect(JSON.parse(r.body) as object, path).toMatchObject({ statusCode: r.status });
      for (const data of ['"alerts":', '"keys":', '"top_routes":', '"key_id":']) expect(r.body, path).not.toContain(data);
    }
    // Path parameters longer than the router's maxParamLength are refused before any handler.
    expectError(raw(await rawHttp(port, get(`/v1/alerts/${'a'.repeat(5_000)}`, auth(READ)))), 414, 'a path parameter is too long');
    for (const [method, path] of [
      ['HEAD', '/v1/alerts'],
      ['HEAD', '/v1/keys'],
      ['HEAD', `/v1/alerts/${id}`],
      ['HEAD', '/metrics'],
    ]) {
      const r = await rawHttp(port, `${method} ${path} HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n`);
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(r.body).toBe('');
      expect((await rawHttp(port, `${method} ${path} HTTP/1.1\r\nHost: api\r\n${auth(READ)}Connection: close\r\n\r\n`)).status, `${method} ${path} with a token`).toBe(200);
    }
    for (const method of ['OPTIONS', 'TRACE', 'PUT', 'PATCH', 'DELETE']) {
      const r = await rawHttp(port, `${method} /v1/alerts HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n`);
      expectError(raw(r), 404, `no route ${method} /v1/alerts`, method);
    }
    // The dashboard's static files are public: nothing outside them is served.
    for (const path of ['/ui/../package.json', '/ui/%2e%2e/%2e%2e/package.json', '/ui/..%2f..%2fpackage.json', '/ui/vendor/..%2f..%2f..%2fpackage.json', '/ui/vendor/../../../package.json', '/ui/%2e%2e%5c%2e%2e%5cpackage.json']) {
      const r = await rawHttp(port, get(path));
      expect(r.status, path).toBeGreaterThanOrEqual(400);
      expect(r.body, path).not.toContain('"devDependencies"');
    }
    expect((await rawHttp(port, get('/ui/'))).status).toBe(200);
    expect(await normal()).toHaveLength(8);
  });

  it('answers over-large and malformed requests at the socket with a JSON 4xx, and never logs what they carried', async () => {
    const big = await rawHttp(port, get('/v1/alerts', `Authorization: Bearer ${READ}${'x'.repeat(20_000)}\r\n`));
    expectError(raw(big), 431, 'headers are larger than');
    const ctl = await rawHttp(port, get('/v1/alerts', `${auth(READ)}X-Evil: a\u0001b\r\n`));
    expectError(raw(ctl), 400, 'malformed HTTP request');
    const smuggle = await rawHttp(port, `POST /v1/alerts/${id}/ack HTTP/1.1\r\nHost: api\r\n${auth(ADMIN)}Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`);
    expectError(raw(smuggle), 400, 'malformed HTTP request');
    const bad = await rawHttp(port, `GET /v1/alerts HTTP/9.9\r\n${auth(READ)}\r\n`);
    expect(bad.status).toBe(400);
    // Positive control: the token is in what was sent, and the log did record these requests.
    expect(ctl.written).toBeGreaterThan(READ.length);
    expect(logs).toContain('"code":"HPE_INVALID_HEADER_TOKEN"');
    expect(logs).not.toContain(READ);
    expect(logs).not.toContain(ADMIN);
    // Node attaches the bytes it parsed (`rawPacket`) to the error; that must never be logged.
    expect(logs).not.toContain('rawPacket');
    expect((await normal()).every((a) => a.status === 'open')).toBe(true);
  });

  it('refuses hostile bodies with a 4xx naming what was wrong, and changes nothing', async () => {
    const feedback = `/v1/alerts/${id}/feedback`;
    const json = { ...bearer(ADMIN), 'content-type': 'application/json' };
    const bodies: Array<[string, string, Record<string, string>, string, number, string]> = [
      ['10,000 nested arrays', feedback, json, `{"verdict":"false_positive","note":${'['.repeat(10_000)}${']'.repeat(10_000)}}`, 400, 'body/note'],
      ['10,000 nested objects', feedback, json, `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`, 400, 'body/verdict is required'],
      ['nesting on a route without a body', `/v1/alerts/${id}/ack`, json, `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`, 400, 'body/a is not a known field'],
      ['a prototype key', feedback, json, '{"verdict":"false_positive","__proto__":{"status":"resolved"}}', 400, 'JSON'],
      ['5,000 unknown fields', feedback, json, JSON.stringify(Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, i]))), 400, 'body/verdict is required'],
      ['a body over the limit', feedback, json, JSON.stringify({ verdict: 'false_positive', note: 'x'.repeat(70_000) }), 413, 'api.body_limit_bytes allows 65536 bytes'],
      ['text/xml', feedback, { ...bearer(ADMIN), 'content-type': 'text/xml' }, '<verdict>false_positive</verdict>', 415, 'Content-Type: application/json'],
      ['no Content-Type', feedback, bearer(ADMIN), '{"verdict":"false_positive"}', 415, 'Content-Type: application/json'],
      ['a look-alike type', feedback, { ...bearer(ADMIN), 'content-type': 'application/jsonp' }, '{"verdict":"false_positive"}', 415, 'Content-Type: application/json'],
      ['a form', feedback, { ...bearer(ADMIN), 'content-type': 'application/x-www-form-urlencoded' }, 'verdict=false_positive', 415, 'Content-Type: application/json'],
      ['a gzip body', feedback, { ...json, 'content-encoding': 'gzip' }, '{"verdict":"false_positive"}', 415, 'Content-Encoding is not supported'],
      ['a note too long', feedback, json, JSON.stringify({ verdict: 'false_positive', note: 'n'.repeat(2_001) }), 400, 'body/note must NOT have more than 2000 characters'],
    ];
    for (const [what, url, headers, payload, status, text] of bodies) {
      expectError(await app.inject({ method: 'POST', url, headers, payload }), status, text, what);
    }
    // Nothing was acknowledged or given a verdict.
    expect((await normal()).every((a) => a.status === 'open')).toBe(true);
  });

  it('answers a 100 MB Content-Length with 413 at once and closes the connection instead of reading it', async () => {
    const r = await rawHttp(port, post(`/v1/alerts/${id}/feedback`, auth(ADMIN), '', 100 * 1024 * 1024), { flood: 100 * 1024 * 1024 });
    expectError(raw(r), 413, 'api.body_limit_bytes');
    expect(r.closedByServer).toBe(true);
    // The server stopped taking bytes long before the 100 MB were sent.
    expect(r.written).toBeLessThan(50 * 1024 * 1024);
    expect(await normal()).toHaveLength(8);
  });

  it('refuses tampered cursors, and a forged one only moves within what the filter allows', async () => {
    const first = (await app.inject({ url: '/v1/alerts?limit=2', headers: bearer(READ) })).json() as { next_cursor: string };
    const keysPage = (await app.inject({ url: '/v1/keys?limit=1', headers: bearer(READ) })).json() as { next_cursor: string };
    const c = first.next_cursor;
    const k = keysPage.next_cursor;
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(k).toMatch(/^[A-Za-z0-9_-]+$/);
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    const tampered: Array<[string, string, string]> = [
      ['garbage', '/v1/alerts', '!!!not-a-cursor!!!'],
      ['empty', '/v1/alerts', ''],
      ['truncated', '/v1/alerts', c.slice(0, -3)],
      ['one character changed', '/v1/alerts', flip(c, 5)],
      ['padded', '/v1/alerts', `${c}=`],
      ['standard base64', '/v1/alerts', Buffer.from(Buffer.from(c, 'base64url')).toString('base64')],
      ['too long', '/v1/alerts', c.repeat(3)],
      ['a NUL byte', '/v1/alerts', `${c}%00`],
      ['the keys cursor', '/v1/alerts', k],
      ['the alerts cursor', '/v1/keys', c],
      ['a keys cursor truncated', '/v1/keys', k.slice(0, -2)],
      ['a negative time', '/v1/alerts', b64(`-5.${'a'.repeat(24)}`)],
      ['a time past 2^53', '/v1/alerts', b64(`99999999999999999.${'a'.repeat(24)}`)],
      ['an id of the wrong length', '/v1/alerts', b64('1793592000000.abc')],
      ['an upper-case id', '/v1/alerts', b64(`1793592000000.${'A'.repeat(24)}`)],
      ['a NaN score', '/v1/keys', b64(`NaN|${'a'.repeat(32)}`)],
      ['an infinite score', '/v1/keys', b64(`1e999|${'a'.repeat(32)}`)],
      ['JSON instead', '/v1/alerts', b64(JSON.stringify({ t: 1, id: 'a'.repeat(24) }))],
    ];
    for (const [what, path, cursor] of tampered) {
      const r = await app.inject({ url: `${path}?cursor=${cursor.includes('%') ? cursor : encodeURIComponent(cursor)}`, headers: bearer(READ) });
      expectError(r, 400, 'querystring/cursor', what);
    }
    // Cursors are positions, not credentials: a well-formed one made up by the client pages from
    // where it says, and the filter still decides what is shown.
    const forged = b64(`${Number.MAX_SAFE_INTEGER}.${'f'.repeat(24)}`);
    const page = (await app.inject({ url: `/v1/alerts?key_id=${KEYS[1]}&cursor=${forged}&limit=500`, headers: bearer(READ) })).json() as { alerts: Array<{ key_id: string }> };
    expect(page.alerts.length).toBeGreaterThan(0);
    expect(page.alerts.every((a) => a.key_id === KEYS[1])).toBe(true);
  });

  it('refuses bad query values, naming the parameter', async () => {
    const cases: Array<[string, string]> = [
      ['/v1/alerts?limit=-1', 'querystring/limit must be >= 1'],
      ['/v1/alerts?limit=0', 'querystring/limit must be >= 1'],
      ['/v1/alerts?limit=501', 'querystring/limit must be <= 500'],
      ['/v1/alerts?limit=99999999999999999999999', 'querystring/limit must be <= 500'],
      ['/v1/alerts?limit=1e9', 'querystring/limit must be <= 500'],
      ['/v1/alerts?limit=', 'querystring/limit must be integer'],
      ['/v1/alerts?limit=abc', 'querystring/limit must be integer'],
      ['/v1/alerts?limit=2.5', 'querystring/limit must be integer'],
      ['/v1/alerts?limit=1&limit=2', 'querystring/limit must be integer'],
      ['/v1/alerts?limit[]=1', 'querystring/limit[] is not a known parameter'],
      ['/v1/alerts?limit[$gt]=1', 'querystring/limit[$gt] is not a known parameter'],
      ['/v1/alerts?cursor=a&cursor=b', 'querystring/cursor must be string'],
      ['/v1/alerts?severity=high&severity=low', 'querystring/severity'],
      ['/v1/alerts?key_id=x&key_id=y', 'querystring/key_id must be string'],
      ['/v1/alerts?__proto__=x', 'querystring/__proto__ is not a known parameter'],
      ['/v1/alerts?constructor[prototype][admin]=1', 'is not a known parameter'],
      ['/v1/alerts?from=yesterday', 'querystring/from must be ms since epoch or an ISO 8601 time'],
      ['/v1/alerts?to=1e400', 'querystring/to must be ms since epoch or an ISO 8601 time'],
      [`/v1/alerts?from=${'9'.repeat(41)}`, 'querystring/from must NOT have more than 40 characters'],
      ['/v1/alerts?key_id=' + 'A'.repeat(32), 'querystring/key_id must match pattern'],
      ['/v1/keys?limit=-5', 'querystring/limit must be >= 1'],
      ['/v1/keys?limit=100000', 'querystring/limit must be <= 500'],
      ['/v1/keys?limit=1&limit=1', 'querystring/limit must be integer'],
      ['/v1/keys?cursor=x&cursor=y', 'querystring/cursor must be string'],
      [`/v1/alerts/${id}?limit=1`, 'querystring/limit is not a known parameter'],
    ];
    for (const [url, text] of cases) expectError(await app.inject({ url, headers: bearer(READ) }), 400, text, url);
    // 10,000 parameters are refused as quickly as one.
    const many = Array.from({ length: 10_000 }, (_, i) => `p${i}=${i}`).join('&');
    expectError(await app.inject({ url: `/v1/alerts?${many}`, headers: bearer(READ) }), 400, 'is not a known parameter');
    expect(await normal()).toHaveLength(8);
  });

  it('cuts off slowloris clients (headers a byte at a time, a trickled body, silence) with 408 and keeps serving others', async () => {
    const slowHeaders = get('/v1/alerts', auth(READ));
    // At a byte per 100 ms the body would take about 10 s; the server gives it 1 s.
    const body = JSON.stringify({ verdict: 'false_positive', note: `trickled ${'x'.repeat(50)}` });
    const slowBody = post(`/v1/alerts/${id}/feedback`, auth(ADMIN), body);
    const head = slowBody.slice(0, slowBody.length - body.length);
    const slow = Promise.all([
      rawHttp(port, slowHeaders, { trickleMs: 100 }),
      // Headers at once, then the body a byte every 100 ms.
      rawHttp(port, slowBody, { trickleMs: 100, trickleFrom: head.length }),
      // Headers at once, then a body that never comes.
      rawHttp(port, head),
      // A connection that never says anything.
      rawHttp(port, ''),
    ]);
    let settled = false;
    void slow.then(() => (settled = true));
    // Others are served while the slow clients hold their connections.
    const during: number[] = [];
    while (!settled) {
      during.push((await fetch(`http://127.0.0.1:${port}/v1/alerts`, { headers: bearer(READ) })).status);
      await sleep(100);
    }
    const [headers, trickled, stalled, silent] = await slow;
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((s) => s === 200)).toBe(true);
    for (const [what, r] of [
      ['headers a byte at a time', headers],
      ['a trickled body', trickled],
      ['a body that never comes', stalled],
    ] as const) {
      expect(r.closedByServer, what).toBe(true);
      expectError(raw(r), 408, 'api.request_timeout_seconds (1 s)', what);
    }
    // The server hung up before the slow client had sent its request.
    expect(headers.written).toBeLessThan(slowHeaders.length);
    expect(trickled.written).toBeLessThan(slowBody.length);
    expect(silent.closedByServer).toBe(true);
    expect(silent.status === 0 || silent.status === 408).toBe(true);
    // The trickled verdict was never applied; the server still answers.
    expect((await normal()).every((a) => a.status === 'open')).toBe(true);
    expect(logs).not.toContain(ADMIN);
  });
});

describe('agent http input under abuse', () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  let agent: Agent;
  let input: HttpInput;
  let port = 0;
  let base = '';
  let logs = '';
  let sent = 0;
  let dir = '';
  const A = `Authorization: Bearer ${AGENT_TOKEN}\r\n`;
  const line = (i: number) => nginxLine({ t: 1_793_600_000 + i, key: 'sk_live_abuse_key_0001', uri: `/v1/orders/${i}`, id: 900_000 + i });
  /** A normal delivery: must be accepted and reach the stream whatever else is going on. */
  const deliver = async () => {
    const text = `${line(sent)}\n${line(sent + 1)}\n`;
    const r = await fetch(`${base}/lines`, { method: 'POST', body: text, headers: { ...bearer(AGENT_TOKEN), 'content-type': 'application/x-ndjson' } });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ accepted: 2 });
    sent += 2;
  };

  beforeAll(async () => {
    nats = await startNatsServer();
    dir = mkdtempSync(join(tmpdir(), 'lowslow-abuse-'));
    const c = {
      key_secret: 'abuse-test-secret-0123456789',
      source: { host: 'abuse' },
      inputs: { http: { enabled: true, port: 0, format: 'nginx-json', token: AGENT_TOKEN, request_timeout_seconds: 1, max_body_bytes: 1_048_576 } },
      nats: { servers: [nats.url], partitions: 2, flush_ms: 20 },
      agent: { state_dir: join(dir, 'state'), metrics_port: -1 },
    };
    if (!validateConfig(c)) throw new Error(JSON.stringify(validateConfig.errors));
    const config = c as Config;
    nc = await connect({ servers: nats.url });
    await ensureStreams(nc, config.nats, ['events']);
    input = createHttpInput(config);
    agent = new Agent({ config, nc, log: pino({ level: 'trace' }, { write: (s: string) => void (logs += s) }), host: 'abuse', inputs: [input] });
    agent.start();
    for (let i = 0; i < 100 && input.address() === null; i++) await sleep(20);
    base = input.address() as string;
    port = Number(new URL(base).port);
  });

  afterAll(async () => {
    await agent?.stop();
    await nc?.close();
    await nats?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses missing, wrong, misplaced and duplicated tokens before reading the body', async () => {
    const kong = '{"request":{"headers":{"x-api-key":"sk_live_abuse_in_body"}}}';
    const cases: Array<[string, string, number, string]> = [
      ['no header', '', 401, 'inputs.http.token'],
      ['a wrong token', 'Authorization: Bearer abuse-wrong-token-00000000\r\n', 401, 'inputs.http.token'],
      ['Basic', `Authorization: Basic ${Buffer.from(`x:${AGENT_TOKEN}`).toString('base64')}\r\n`, 401, 'inputs.http.token'],
      ['no scheme', `Authorization: ${AGENT_TOKEN}\r\n`, 401, 'inputs.http.token'],
      ['an oversized token', `Authorization: Bearer ${'t'.repeat(12_000)}\r\n`, 401, 'inputs.http.token'],
      ['the token as a cookie', `Cookie: token=${AGENT_TOKEN}\r\n`, 401, 'inputs.http.token'],
      ['two headers, the right one first', `${A}Authorization: Bearer abuse-wrong-token-00000000\r\n`, 400, 'more than one Authorization header'],
      ['two headers, the right one last', `Authorization: Bearer abuse-wrong-token-00000000\r\n${A}`, 400, 'more than one Authorization header'],
    ];
    for (const [what, headers, status, text] of cases) {
      expectError(raw(await rawHttp(port, post('/kong', headers, kong))), status, text, what);
    }
    expectError(raw(await rawHttp(port, post(`/kong?access_token=${AGENT_TOKEN}`, '', kong))), 401, 'inputs.http.token', 'token in the query string');
    // Path tricks: only exactly /healthz is open; everything else needs the token first.
    for (const path of ['//kong', '/kong/', '/KONG', '/healthz/../kong', '/healthz/%2e%2e/lines', '/%6bong', '/healthz%2F..%2Flines', '/lines;x', 'http://x/lines']) {
      expectError(raw(await rawHttp(port, post(path, '', kong))), 401, 'inputs.http.token', path);
    }
    for (const method of ['HEAD', 'OPTIONS', 'GET', 'PUT']) {
      const r = await rawHttp(port, `${method} /lines HTTP/1.1\r\nHost: agent\r\nConnection: close\r\n\r\n`);
      expect(r.status, method).toBe(401);
    }
    expect((await rawHttp(port, get('/healthz'))).status).toBe(200);
    expect(input.metrics.rejected.unauthorized).toBeGreaterThanOrEqual(cases.length);
    await deliver();
  });

  it('answers hostile bodies with a 4xx (or hands them to the parser to reject), and publishes nothing from them', async () => {
    const before = agent.metrics.rejectedTotal;
    const h = { ...bearer(AGENT_TOKEN), 'content-type': 'application/json' };
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    const nestedObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    const refused: Array<[string, string, string, Record<string, string>, number, string]> = [
      ['/lines: a 10,000-deep array element', '/lines', `[${deep(10_000)}]`, h, 400, 'nests too deeply'],
      ['/lines: a 100,000-deep array element', '/lines', `[${deep(100_000)}]`, h, 400, 'nests too deeply'],
      ['/lines: a broken array', '/lines', `[${'['.repeat(10_000)}`, h, 400, 'not a valid JSON array'],
      ['/kong: not JSON', '/kong', `{"x":${'['.repeat(10_000)}`, h, 400, 'not valid JSON'],
      ['/kong: a number', '/kong', '42', h, 400, 'kong.log.serialize()'],
      ['/events: not JSON', '/events', '{', h, 400, 'not valid JSON'],
      ['over max_body_bytes', '/lines', 'x'.repeat(1_048_577), h, 413, 'inputs.http.max_body_bytes (1048576 bytes)'],
      ['an unknown Content-Encoding', '/lines', 'x', { ...h, 'content-encoding': 'br' }, 415, 'Content-Encoding br is not supported'],
      ['gzip that is not', '/lines', 'x', { ...h, 'content-encoding': 'gzip' }, 400, 'not valid gzip'],
    ];
    for (const [what, path, body, headers, status, text] of refused) {
      const r = await fetch(`${base}${path}`, { method: 'POST', body, headers });
      expectError({ statusCode: r.status, body: await r.text() }, status, text, what);
    }
    // Deep structures the input hands over as records are rejected by the parser and counted.
    for (const [path, body] of [
      ['/kong', deep(10_000)],
      ['/kong', `[${nestedObject(10_000)}]`],
      ['/events', `[${nestedObject(10_000)}]`],
      ['/events', `[${deep(100_000)}]`],
      ['/events', '{"__proto__":{"v":1},"constructor":{"prototype":{"id":"x"}}}'],
      // Any Content-Type: shippers disagree on it, the route decides how to read the bytes.
      ['/kong', '{"request":{}}'],
    ] as const) {
      const r = await fetch(`${base}${path}`, { method: 'POST', body, headers: { ...bearer(AGENT_TOKEN), 'content-type': 'multipart/form-data; boundary=x' } });
      expect(r.status, `${path} ${body.slice(0, 20)}`).toBe(200);
    }
    for (let i = 0; i < 100 && agent.metrics.rejectedTotal < before + 6; i++) await sleep(20);
    expect(agent.metrics.rejectedTotal).toBe(before + 6);
    await deliver();
  });

  it('answers a 100 MB Content-Length with 413 at once and closes the connection instead of reading it', async () => {
    const r = await rawHttp(port, `POST /lines HTTP/1.1\r\nHost: agent\r\n${A}Content-Length: ${100 * 1024 * 1024}\r\n\r\n`, { flood: 100 * 1024 * 1024 });
    expectError(raw(r), 413, 'inputs.http.max_body_bytes');
    expect(r.closedByServer).toBe(true);
    expect(r.written).toBeLessThan(50 * 1024 * 1024);
    const big = await rawHttp(port, get('/kong', `${A}X-Pad: ${'p'.repeat(20_000)}\r\n`));
    expectError(raw(big), 431, 'headers are larger than');
    const ctl = await rawHttp(port, `POST /lines HTTP/1.1\r\nHost: agent\r\n${A}X-Evil: a\u0001b\r\nContent-Length: 1\r\n\r\nx`);
    expectError(raw(ctl), 400, 'malformed HTTP request');
    await deliver();
  });

  it('cuts off slowloris clients with 408 and keeps taking lines from others', async () => {
    const body = `${line(50_000)}\n`;
    const head = `POST /lines HTTP/1.1\r\nHost: agent\r\n${A}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    const slow = Promise.all([rawHttp(port, head + body, { trickleMs: 100 }), rawHttp(port, head + body, { trickleMs: 100, trickleFrom: head.length }), rawHttp(port, '')]);
    let settled = false;
    void slow.then(() => (settled = true));
    let during = 0;
    while (!settled) {
      await deliver();
      during++;
      await sleep(100);
    }
    const [headers, trickled, silent] = await slow;
    expect(during).toBeGreaterThan(0);
    for (const [what, r] of [
      ['headers a byte at a time', headers],
      ['a trickled body', trickled],
    ] as const) {
      expect(r.closedByServer, what).toBe(true);
      expectError(raw(r), 408, 'inputs.http.request_timeout_seconds (1 s)', what);
    }
    expect(headers.written).toBeLessThan(head.length);
    expect(trickled.written).toBeLessThan(head.length + body.length);
    expect(silent.closedByServer).toBe(true);
    expect(input.metrics.rejected.timeout).toBeGreaterThanOrEqual(2);
    await deliver();
  });

  it('published exactly the normal deliveries, and logged no token', async () => {
    for (let i = 0; i < 200 && agent.metrics.eventsPublished < sent; i++) await sleep(25);
    const events = await streamEvents(nats.url);
    expect(events.map((e) => e.event.id).sort()).toEqual(
      Array.from({ length: sent }, (_, i) => (900_000 + i).toString(16).padStart(32, '0')).sort(),
    );
    expect(logs).toContain('http input rejected a request');
    expect(logs).not.toContain(AGENT_TOKEN);
    expect(logs).not.toContain('sk_live_abuse');
  });
});
