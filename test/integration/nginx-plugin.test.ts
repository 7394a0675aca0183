/**
 * The NGINX plugin for real: Debian's nginx with njs, configured with the shipped files
 * (gateway-plugins/nginx/lowslow-safe.conf and lowslow.js, linked in unchanged) in front of a
 * node:http upstream, logging `lowslow_safe` to a buffered file and over UDP syslog. Two real
 * agents (pipeline, file input, syslog input) publish to a real nats-server; the test reads the
 * events back and also captures the raw datagrams. It proves that key_id from a header, a Bearer
 * token or a query parameter equals the agent's own HMAC, that the published parameters equal
 * what the agent would have published from the raw query string, that no key or raw query value
 * is written, sent or published, and that the log directives do not change a single response.
 */
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAccessEvent, validateConfig, type Config } from '../../contracts/index.js';
import { Agent } from '../../agent/pipeline.js';
import { createFileInput } from '../../agent/inputs/file/index.js';
import { createSyslogInput, syslogPayload } from '../../agent/inputs/syslog/index.js';
import { parseNginxJson } from '../../agent/parsers/nginx-json.js';
import { isRejection } from '../../agent/parsers/raw-record.js';
import { computeKeyId } from '../../agent/sanitize/key-id.js';
import { shapeQuery } from '../../agent/sanitize/params.js';
import { ensureStreams } from '../../bin/connect.js';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';
import { startNginx, type Nginx } from '../support/nginx.js';
import { freePort } from '../support/ports.js';
import { streamEvents } from '../support/stream.js';

const SECRET = 'nginx-plugin-secret-0123456789';
const PLUGIN_DIR = fileURLToPath(new URL('../../gateway-plugins/nginx', import.meta.url));
const VECTORS = fileURLToPath(new URL('../../gateway-plugins/test-vectors/key-id.json', import.meta.url));
const VECTORS_HANDLER = fileURLToPath(new URL('../support/njs-key-id-vectors.js', import.meta.url));

interface Case {
  /** Sent as User-Agent, which events publish: how each event is matched to its request. */
  ua: string;
  method: string;
  target: string;
  headers: Record<string, string>;
  body?: string;
  /** The raw key lowslow should see, or null. */
  key: string | null;
  route: string;
  status: number;
  /** Strings that must never be logged, sent or published. */
  secrets: string[];
}

const UTF8_KEY = 'key with spaces and ünïcödé';
const CASES: Case[] = [
  {
    ua: 'case-header',
    method: 'GET',
    target: '/v1/customers/1001?page=3&q=hello%20wonderland&sort=-created',
    headers: { 'x-api-key': 'sk_live_HeaderCanary0001' },
    key: 'sk_live_HeaderCanary0001',
    route: '/v1/customers/{int}',
    status: 200,
    secrets: ['sk_live_HeaderCanary0001', 'wonderland', '-created'],
  },
  {
    ua: 'case-bearer',
    method: 'GET',
    target: '/v1/orders?limit=500&cursor=abcDEF123xyzCursor',
    headers: { authorization: 'Bearer tok_BearerCanary0002' },
    key: 'tok_BearerCanary0002',
    route: '/v1/orders',
    status: 200,
    secrets: ['tok_BearerCanary0002', 'abcDEF123xyzCursor'],
  },
  {
    ua: 'case-query',
    method: 'GET',
    target: '/v1/invoices/3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f?api_key=sk_QueryCanary0003&email=jane.doe%40example.com&since=2024-01-05',
    headers: {},
    key: 'sk_QueryCanary0003',
    route: '/v1/invoices/{uuid}',
    status: 200,
    secrets: ['sk_QueryCanary0003', 'jane.doe', 'example.com', '2024-01-05'],
  },
  {
    ua: 'case-utf8',
    method: 'GET',
    target: '/v1/customers/1002?name=J%C3%BCrgenCanary',
    // Node sends header strings byte for byte (latin1): these are the key's UTF-8 bytes.
    headers: { 'x-api-key': Buffer.from(UTF8_KEY, 'utf8').toString('latin1') },
    key: UTF8_KEY,
    route: '/v1/customers/{int}',
    status: 200,
    secrets: ['ünïcödé', 'key with spaces', 'rgenCanary'],
  },
  {
    ua: 'case-partner',
    method: 'GET',
    target: '/partner/v1/reports/77?format=csvexport',
    headers: { 'x-partner-key': 'pk_PartnerCanary0005', 'x-api-key': 'sk_NotAKeyHere0006' },
    key: 'pk_PartnerCanary0005',
    route: '/partner/v1/reports/{int}',
    status: 200,
    secrets: ['pk_PartnerCanary0005', 'sk_NotAKeyHere0006', 'csvexport'],
  },
  {
    ua: 'case-anonymous-post',
    method: 'POST',
    target: '/v1/search?term=secrettermcanary',
    headers: { 'content-type': 'application/json' },
    body: '{"query":"bodycanary"}',
    key: null,
    route: '/v1/search',
    status: 200,
    secrets: ['secrettermcanary', 'bodycanary'],
  },
  {
    ua: 'case-basic',
    method: 'GET',
    target: '/v1/customers/1003',
    headers: { authorization: 'Basic dXNlcjpzM2NyZXRDYW5hcnk=' },
    key: null,
    route: '/v1/customers/{int}',
    status: 200,
    secrets: ['dXNlcjpzM2NyZXRDYW5hcnk='],
  },
  {
    ua: 'case-not-found',
    method: 'GET',
    target: '/missing/thing?token=tok_MissingCanary0008&page=2',
    headers: {},
    key: 'tok_MissingCanary0008',
    route: '/missing/thing',
    status: 404,
    secrets: ['tok_MissingCanary0008'],
  },
];
const SECRETS = CASES.flatMap((c) => c.secrets);

// The same module file under Node: what njs inside nginx must have written.
const njs = ((await import(new URL('../../gateway-plugins/nginx/lowslow.js', import.meta.url).href)) as {
  default: { shapeArgs(query: string, keyParams: string, rawParams: string): string };
}).default;
const DEFAULT_KEY_PARAMS = 'api_key,apikey,key,access_token,token';

const queryOf = (target: string) => (target.indexOf('?') < 0 ? '' : target.slice(target.indexOf('?') + 1));

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function withoutDate(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const { date: _date, ...rest } = headers;
  return rest;
}

function send(port: number, c: Case): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: c.method, path: c.target, headers: { ...c.headers, 'user-agent': c.ua }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(c.body);
  });
}

/** An upstream API: answers what it saw, with headers of its own, 404 under /missing. */
function startUpstream(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    let size = 0;
    req.on('data', (d: Buffer) => (size += d.length));
    req.on('end', () => {
      const status = req.url?.startsWith('/missing') ? 404 : 200;
      const body = JSON.stringify({ method: req.method, url: req.url, body_bytes: size, ua: req.headers['user-agent'] });
      res.writeHead(status, { 'content-type': 'application/json', 'x-upstream': 'lowslow-test', 'cache-control': 'no-store', etag: `"${body.length}"` });
      res.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })));
}

function agentConfig(dir: string, natsUrl: string, host: string, edit: (c: Config) => void): Config {
  const c = {} as Config;
  if (!validateConfig(c)) throw new Error('default config does not validate');
  c.key_secret = SECRET;
  c.source.host = host;
  c.nats.servers = [natsUrl];
  c.nats.flush_ms = 50;
  c.agent.state_dir = join(dir, `state-${host}`);
  c.agent.metrics_port = -1;
  edit(c);
  return c;
}

describe('NGINX plugin (real nginx + njs) → file and syslog → agent → NATS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lowslow-nginx-plugin-'));
  const logFile = join(dir, 'lowslow.json');
  const ports = { file: 0, syslog: 0, plain: 0, vectors: 0 };
  let nats: NatsServer;
  let nginx: Nginx;
  let nc: NatsConnection;
  let upstream: { server: Server; port: number };
  let capture: Socket;
  const datagrams: string[] = [];
  let agentLogs = '';
  const agents: Agent[] = [];
  /** Each case's replies from the two logging servers and from the same server without logging. */
  const replies: Array<{ c: Case; file: Reply; syslog: Reply; plain: Reply }> = [];

  beforeAll(async () => {
    [nats, upstream] = await Promise.all([startNatsServer(), startUpstream()]);
    nc = await connect({ servers: nats.url });
    const log = pino({ level: 'info' }, { write: (s: string) => void (agentLogs += s) });

    capture = createSocket('udp4');
    capture.on('message', (m: Buffer) => datagrams.push(m.toString('utf8')));
    const capturePort = await new Promise<number>((resolve) => capture.bind(0, '127.0.0.1', () => resolve(capture.address().port)));

    // The syslog agent binds first (port 0), so nginx can be told where to send.
    const syslogConfig = agentConfig(dir, nats.url, 'syslog', (c) => {
      c.inputs.syslog.enabled = true;
      c.inputs.syslog.port = 0;
    });
    await ensureStreams(nc, syslogConfig.nats, ['events']);
    const syslogInput = createSyslogInput(syslogConfig);
    const syslogAgent = new Agent({ config: syslogConfig, nc, log, host: 'syslog', inputs: [syslogInput] });
    syslogAgent.start();
    agents.push(syslogAgent);
    const deadline = Date.now() + 5_000;
    while (syslogInput.address() === null && Date.now() < deadline) await sleep(10);
    const syslogPort = Number((syslogInput.address() ?? '').split(':').pop());

    ports.file = await freePort();
    ports.syslog = await freePort();
    ports.plain = await freePort();
    ports.vectors = await freePort();
    const proxy = 'proxy_pass http://app; proxy_set_header Host app;';
    nginx = await startNginx({
      main: 'env LOWSLOW_KEY_SECRET;',
      env: { LOWSLOW_KEY_SECRET: SECRET },
      links: { lowslow: PLUGIN_DIR, 'njs-key-id-vectors.js': VECTORS_HANDLER },
      ports: Object.values(ports),
      http: `
  include lowslow/lowslow-safe.conf;
  js_import vectors from njs-key-id-vectors.js;
  upstream app { server 127.0.0.1:${upstream.port}; }
  server {
    listen 127.0.0.1:${ports.file};
    access_log ${logFile} lowslow_safe buffer=64k flush=1s;
    location / { ${proxy} }
    location /partner/ { set $lowslow_key_headers "x-partner-key"; ${proxy} }
  }
  server {
    listen 127.0.0.1:${ports.syslog};
    access_log syslog:server=127.0.0.1:${syslogPort},nohostname,tag=lowslow lowslow_safe;
    access_log syslog:server=127.0.0.1:${capturePort},nohostname,tag=lowslow lowslow_safe;
    location / { ${proxy} }
    location /partner/ { set $lowslow_key_headers "x-partner-key"; ${proxy} }
  }
  server {
    listen 127.0.0.1:${ports.plain};
    location / { ${proxy} }
    location /partner/ { ${proxy} }
  }
  server {
    listen 127.0.0.1:${ports.vectors};
    location = /key-id { client_body_buffer_size 64k; js_content vectors.key_ids; }
  }`,
    });

    // nginx has created the log file by now; the file agent reads it from its beginning.
    const fileConfig = agentConfig(dir, nats.url, 'file', (c) => {
      c.inputs.file.paths = [logFile];
      c.inputs.file.format = 'nginx-json';
      c.inputs.file.from_beginning = true;
    });
    const fileAgent = new Agent({ config: fileConfig, nc, log, host: 'file', inputs: [createFileInput(fileConfig)] });
    fileAgent.start();
    agents.push(fileAgent);

    for (const c of CASES) {
      const [file, syslog, plain] = await Promise.all([send(ports.file, c), send(ports.syslog, c), send(ports.plain, c)]);
      replies.push({ c, file, syslog, plain });
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await nc?.close();
    capture?.close();
    await nginx?.stop();
    upstream?.server.close();
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('computes key_id inside nginx exactly as the shared test vectors say', async () => {
    const { vectors } = JSON.parse(readFileSync(VECTORS, 'utf8')) as { vectors: Array<{ secret: string; key: string; key_id: string }> };
    const res = await send(ports.vectors, { ua: 'vectors', method: 'POST', target: '/key-id', headers: { 'content-type': 'application/json' }, body: JSON.stringify(vectors), key: null, route: '', status: 200, secrets: [] });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual(vectors.map((v) => v.key_id));
  });

  it('leaves every response exactly as it is without the log directives', async () => {
    expect(replies).toHaveLength(CASES.length);
    for (const { c, file, syslog, plain } of replies) {
      for (const logged of [file, syslog]) {
        expect(logged.status, c.ua).toBe(c.status);
        expect(logged.status, c.ua).toBe(plain.status);
        expect(logged.body, c.ua).toBe(plain.body);
        expect(withoutDate(logged.headers), c.ua).toEqual(withoutDate(plain.headers));
      }
    }
  });

  it('publishes one event per request over each transport, with the agent’s key_id and shapes and nothing raw', async () => {
    // beforeAll sent each case once to the file server and once to the syslog server.
    let published: Awaited<ReturnType<typeof streamEvents>> = [];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      published = await streamEvents(nats.url);
      if (published.length >= 2 * CASES.length) break;
      await sleep(200);
    }
    await sleep(300);
    published = await streamEvents(nats.url);
    expect(published).toHaveLength(2 * CASES.length);

    const keyParams = new Set(['api_key', 'apikey', 'key', 'access_token', 'token']);
    for (const host of ['file', 'syslog']) {
      const events = published.filter((p) => p.subject.endsWith(`.nginx.${host}`)).map((p) => p.event);
      expect(events, host).toHaveLength(CASES.length);
      for (const c of CASES) {
        const e = events.find((x) => (x.client as { ua: string }).ua === c.ua);
        expect(e, `${host} ${c.ua}`).toBeDefined();
        expect(validateAccessEvent(e)).toBe(true);
        const event = e as unknown as { key_id: string | null; request: { method: string; route: string; params: unknown }; response: { status: number } };
        expect(event.key_id, `${host} ${c.ua}`).toBe(c.key === null ? null : computeKeyId(SECRET, c.key));
        expect(event.request.route, c.ua).toBe(c.route);
        expect(event.request.method, c.ua).toBe(c.method);
        expect(event.response.status, c.ua).toBe(c.status);
        // The shapes the agent publishes from njs's stand-ins are those it would derive from the raw query.
        expect(event.request.params, c.ua).toEqual(shapeQuery(queryOf(c.target), keyParams, new Set()).params);
      }
    }
    // nginx's $request_id is the event id.
    expect(new Set(published.map((p) => p.event.id)).size).toBe(published.length);
    expect(published.every((p) => /^[0-9a-f]{32}$/.test(p.event.id as string))).toBe(true);

    const file = readFileSync(logFile, 'utf8');
    // njs inside nginx wrote what the same module computes under Node.
    for (const line of file.trim().split('\n')) {
      const l = JSON.parse(line) as { user_agent: string; args: string };
      const c = CASES.find((x) => x.ua === l.user_agent) as Case;
      expect(l.args, c.ua).toBe(njs.shapeArgs(queryOf(c.target), DEFAULT_KEY_PARAMS, ''));
    }
    const everything = { file, datagrams: datagrams.join('\n'), events: JSON.stringify(published), nginxErrors: nginx.errorLog(), agentLogs };
    for (const [where, text] of Object.entries(everything)) {
      for (const s of SECRETS) expect(text.includes(s), `${s} found in ${where}`).toBe(false);
    }
    expect(file).not.toContain('api_key');
    // Paths stay in the local log as nginx saw them; the agent publishes them templated.
    expect(everything.events).not.toContain('3f2b8c1e');
  });

  it('sends syslog datagrams the agent’s nginx-json parser reads, key_id included', () => {
    expect(datagrams.length).toBeGreaterThanOrEqual(CASES.length);
    const opts = { maxLineBytes: 65_536, keyHeaders: ['x-api-key'], bearer: true };
    for (const c of CASES) {
      const d = datagrams.find((x) => x.includes(`"user_agent":"${c.ua}"`));
      expect(d, c.ua).toBeDefined();
      expect(d).toMatch(/^<\d+>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d lowslow: \{/);
      const record = parseNginxJson(syslogPayload(d as string) as string, opts);
      if (isRejection(record)) throw new Error(`${c.ua}: rejected as ${record}`);
      expect(record.keyId).toBe(c.key === null ? null : computeKeyId(SECRET, c.key));
      expect(record.apiKey).toBeNull();
      expect(shapeQuery(record.query, new Set(['api_key', 'token']), new Set()).keyFromQuery).toBeNull();
    }
  });
});

describe('NGINX plugin without its secret', () => {
  it('still proxies every request, logs an empty key_id and says why in the error log, without the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lowslow-nginx-nosecret-'));
    const logFile = join(dir, 'lowslow.json');
    const upstream = await startUpstream();
    const port = await freePort();
    const nginx = await startNginx({
      main: 'env LOWSLOW_KEY_SECRET;',
      links: { lowslow: PLUGIN_DIR },
      ports: [port],
      http: `
  include lowslow/lowslow-safe.conf;
  server {
    listen 127.0.0.1:${port};
    access_log ${logFile} lowslow_safe;
    location / { proxy_pass http://127.0.0.1:${upstream.port}; }
  }`,
    });
    try {
      const res = await send(port, { ...(CASES[0] as Case) });
      expect(res.status).toBe(200);
      await sleep(100);
      const line = JSON.parse(readFileSync(logFile, 'utf8').trim()) as Record<string, string>;
      expect(line.key_id).toBe('');
      expect(line.args).toBe(njs.shapeArgs(queryOf((CASES[0] as Case).target), DEFAULT_KEY_PARAMS, ''));
      expect(nginx.errorLog()).toContain('LOWSLOW_KEY_SECRET is missing');
      expect(nginx.errorLog()).not.toContain('HeaderCanary');
    } finally {
      await nginx.stop();
      upstream.server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('NGINX plugin without njs (lowslow.conf, log_format lowslow)', () => {
  it('loads next to lowslow-safe.conf and writes lines the agent’s nginx-json parser reads, raw key for the agent to hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lowslow-nginx-plain-'));
    const logFile = join(dir, 'lowslow.json');
    const upstream = await startUpstream();
    const port = await freePort();
    const nginx = await startNginx({
      main: 'env LOWSLOW_KEY_SECRET;',
      env: { LOWSLOW_KEY_SECRET: SECRET },
      links: { lowslow: PLUGIN_DIR },
      ports: [port],
      http: `
  include lowslow/lowslow.conf;
  include lowslow/lowslow-safe.conf;
  server {
    listen 127.0.0.1:${port};
    access_log ${logFile} lowslow buffer=64k flush=1s;
    location / { proxy_pass http://127.0.0.1:${upstream.port}; }
  }`,
    });
    try {
      const c = CASES[0] as Case;
      const res = await send(port, c);
      expect(res.status).toBe(200);
      // QUIT flushes the buffered log.
      await nginx.stop();
      const lines = readFileSync(logFile, 'utf8').trim().split('\n');
      expect(lines).toHaveLength(1);
      const record = parseNginxJson(lines[0] as string, { maxLineBytes: 65_536, keyHeaders: ['x-api-key'], bearer: true });
      if (isRejection(record)) throw new Error(`rejected as ${record}`);
      expect(record).toMatchObject({
        method: 'GET',
        path: '/v1/customers/1001',
        query: queryOf(c.target),
        status: 200,
        userAgent: c.ua,
        apiKey: c.key,
        keyId: null,
      });
      expect(record.requestId).toMatch(/^[0-9a-f]{32}$/);
      expect(record.ts).toBeGreaterThan(Date.now() - 60_000);
    } finally {
      await nginx.stop();
      upstream.server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
