/**
 * The whole stack with planted secrets: a real nginx with our njs plugin in front of a small
 * upstream, logging to a file and over UDP syslog; `lowslow agent` following the file and the
 * syslog port into a real nats-server; `lowslow detector` with a real redis-server raising an
 * alert, sending it to three local webhook receivers and serving it on the API; and a second
 * agent whose NATS goes away, so its batches wait in the disk spool. Unique random canaries ride
 * the requests as API keys (header, bearer, query parameter), other Authorization tokens, cookies,
 * query values and a body; the upstream answers with a canary Set-Cookie; the API tokens and the
 * HMAC secret are canaries too. Afterwards every byte of every sink and store is searched for each
 * canary (and for its first characters, a truncated leak): both JetStream streams message by
 * message and the stores' files, every Redis key and value (deflated profiles inflated), webhook
 * bodies and headers, every API listing, the processes' stdout and stderr, nginx's access and
 * error logs, the syslog datagrams, the agents' state dirs and spool, the agents' /metrics.
 * Positive controls show the search finds each canary where it must be (what the test sent, its
 * own inputs) and that each sink holds the traffic the canaries rode on.
 */
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { computeKeyId } from '../../agent/sanitize/key-id.js';
import { fileSinks, findCanaries, redisSinks, streamSinks, type Sink } from '../support/canary-search.js';
import { runCli, type CliProcess } from '../support/cli.js';
import { HONEST_KEYS, scenario } from '../support/log-lines.js';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';
import { startNginx, type Nginx } from '../support/nginx.js';
import { freePort } from '../support/ports.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startReceiver, until, type Receiver } from '../support/webhook-receiver.js';

const PLUGIN_DIR = fileURLToPath(new URL('../../gateway-plugins/nginx', import.meta.url));
/** History starts ten days ago at 00:00 UTC, so that today's live requests come after it in event time. */
const START = Math.floor(Date.now() / 86_400_000) * 86_400 - 10 * 86_400;
const canary = (tag: string) => `${tag}${randomBytes(12).toString('hex')}`;

/** Fresh every run: nothing in the repository or on the machine can contain them by chance. */
const C = {
  keyHeader: canary('sk_live_H'),
  keyBearer: canary('tokB'),
  keyQuery: canary('sk_Q'),
  otherBearer: canary('otherbearer'),
  basicAuth: canary('basic'),
  cookie: canary('cookieA'),
  cookie2: canary('cookieB'),
  setCookie: canary('setcookie'),
  query: canary('qv'),
  queryCursor: canary('cursor'),
  queryEmail: canary('mail'),
  historyQuery: canary('hq'),
  body: canary('body'),
  keySecret: canary('keysecret'),
  apiRead: canary('apiread'),
  apiAdmin: canary('apiadmin'),
  apiProbe: canary('apiprobe'),
};
/** Each canary, and its first characters after the tag: a truncated copy is a leak too. */
const SEARCH: Record<string, string> = Object.fromEntries(
  Object.entries(C).flatMap(([name, v]) => [
    [name, v],
    [`${name} (truncated)`, v.slice(v.length - 24, v.length - 12)],
  ]),
);
const keyId = (k: string) => computeKeyId(C.keySecret, k);

interface Sent {
  ua: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** The requests sent through nginx; the user agent is each one's non-secret marker. */
const REQUESTS: Sent[] = [
  { ua: 'stack-1', method: 'GET', path: `/v1/customers/1001?q=${C.query}&page=2`, headers: { 'x-api-key': C.keyHeader, cookie: `session=${C.cookie}`, authorization: `Bearer ${C.otherBearer}` } },
  { ua: 'stack-2', method: 'GET', path: `/v1/orders?limit=500&cursor=${C.queryCursor}`, headers: { authorization: `Bearer ${C.keyBearer}` } },
  { ua: 'stack-3', method: 'GET', path: `/v1/invoices/77?api_key=${C.keyQuery}&email=${C.queryEmail}%40example.com`, headers: {} },
  { ua: 'stack-4', method: 'GET', path: '/v1/customers/1002', headers: { 'x-api-key': C.keyHeader, authorization: `Basic ${C.basicAuth}`, cookie: `a=1; b=${C.cookie2}` } },
  { ua: 'stack-5', method: 'POST', path: `/v1/search?term=${C.query}`, headers: { 'x-api-key': C.keyHeader, 'content-type': 'application/json' }, body: JSON.stringify({ query: C.body }) },
  { ua: 'stack-6', method: 'GET', path: `/missing/thing?token=${C.keyQuery}&page=1`, headers: {} },
];
const ROUNDS = 3;

function send(port: number, r: Sent): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: r.method, path: r.path, headers: { ...r.headers, 'user-agent': r.ua }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve(`${res.statusCode} ${JSON.stringify(res.headers)}\n${Buffer.concat(chunks).toString('utf8')}`));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

/** The protected API: answers every request with a session cookie that must go no further. */
function startUpstream(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'content-type': 'application/json', 'set-cookie': `sid=${C.setCookie}; HttpOnly; Path=/` });
      res.end('{"ok":true}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })));
}

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  const port = await new Promise<number>((resolve) => s.bind(0, '127.0.0.1', () => resolve(s.address().port)));
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function metric(url: string, name: string, token?: string): Promise<number> {
  const text = await (await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} })).text();
  return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
}

/** The URL in a matched `"name":"http://…"` log fragment. */
const urlIn = (fragment: string) => fragment.slice(fragment.indexOf(':"') + 2, -1);

describe('whole-stack canaries: nginx + njs → agents → NATS → detector → Redis → alerts, webhooks, API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lowslow-stack-canary-'));
  const processes: CliProcess[] = [];
  const cleanup: Array<() => Promise<unknown> | unknown> = [];

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    for (const f of cleanup.reverse()) await f();
    rmSync(dir, { recursive: true, force: true });
  });

  it('no planted secret reaches any sink or store, while every sink holds the traffic it rode on', async () => {
    // --- servers
    const [nats, natsB, redis, upstream, generic, splunk, slack] = await Promise.all([
      startNatsServer(),
      startNatsServer(),
      startRedisServer(),
      startUpstream(),
      startReceiver(),
      startReceiver(),
      startReceiver(),
    ]);
    const receivers: Receiver[] = [generic, splunk, slack];
    cleanup.push(
      () => nats.stop(),
      () => natsB.stop(),
      () => redis.stop(),
      () => upstream.server.close(),
      ...receivers.map((r) => () => r.close()),
    );
    const capture = createSocket('udp4');
    const datagrams: string[] = [];
    capture.on('message', (m: Buffer) => datagrams.push(m.toString('latin1')));
    const capturePort = await new Promise<number>((resolve) => capture.bind(0, '127.0.0.1', () => resolve(capture.address().port)));
    cleanup.push(() => capture.close());

    // --- configs: the test's own inputs, where the tokens are expected
    const logDir = join(dir, 'nginx-logs');
    mkdirSync(logDir);
    const accessLog = join(logDir, 'lowslow.json');
    const history = join(dir, 'inputs', 'history.json');
    mkdirSync(join(dir, 'inputs'));
    writeFileSync(accessLog, '');
    writeFileSync(history, '');
    const syslogPort = await freeUdpPort();
    const configs = join(dir, 'inputs');
    const write = (name: string, c: object) => {
      writeFileSync(join(configs, name), JSON.stringify(c, null, 2));
      return join(configs, name);
    };
    const detectorConfig = write('detector.json', {
      source: { gateway: 'nginx', host: 'det' },
      nats: { servers: [nats.url], partitions: 4 },
      redis: { url: redis.url },
      api: { host: '127.0.0.1', port: 0, read_tokens: [C.apiRead], admin_tokens: [C.apiAdmin], rate_limit_per_minute: 0 },
      webhooks: {
        allow_private: true,
        poll_seconds: 0.05,
        retry_initial_seconds: 0.05,
        targets: [
          { name: 'siem', url: generic.url, format: 'generic', secret: 'stack-webhook-hmac-0123456789' },
          { name: 'hec', url: splunk.url, format: 'splunk', secret: 'stack-splunk-hec-0123456789' },
          { name: 'chat', url: slack.url, format: 'slack' },
        ],
      },
      log: { level: 'trace' },
    });
    const stateA = join(dir, 'state-a');
    const stateB = join(dir, 'state-b');
    const agentA = write('agent-a.json', {
      source: { gateway: 'nginx', host: 'gwa' },
      inputs: { file: { paths: [accessLog, history], format: 'nginx-json', from_beginning: true }, syslog: { enabled: true, host: '127.0.0.1', port: syslogPort, format: 'nginx-json' } },
      nats: { servers: [nats.url], partitions: 4, flush_ms: 50, retry_seconds: 0.2 },
      agent: { state_dir: stateA, metrics_port: 0 },
      log: { level: 'trace' },
    });
    const agentB = write('agent-b.json', {
      source: { gateway: 'nginx', host: 'gwb' },
      inputs: { file: { paths: [accessLog], format: 'nginx-json', from_beginning: true } },
      nats: { servers: [natsB.url], partitions: 4, flush_ms: 50, retry_seconds: 0.2 },
      agent: { state_dir: stateB, metrics_port: 0 },
      log: { level: 'trace' },
    });
    const env = { LOWSLOW_KEY_SECRET: C.keySecret };

    // --- nginx with the shipped plugin, one server logging to the file, one over syslog
    const ports = { file: await freePort(), syslog: await freePort() };
    const proxy = `location / { proxy_pass http://app; proxy_set_header Host app; }`;
    const nginx: Nginx = await startNginx({
      main: 'env LOWSLOW_KEY_SECRET;',
      env: { LOWSLOW_KEY_SECRET: C.keySecret },
      links: { lowslow: PLUGIN_DIR },
      ports: Object.values(ports),
      http: `
  include lowslow/lowslow-safe.conf;
  upstream app { server 127.0.0.1:${upstream.port}; }
  server {
    listen 127.0.0.1:${ports.file};
    access_log ${accessLog} lowslow_safe;
    ${proxy}
  }
  server {
    listen 127.0.0.1:${ports.syslog};
    access_log syslog:server=127.0.0.1:${syslogPort},nohostname,tag=lowslow lowslow_safe;
    access_log syslog:server=127.0.0.1:${capturePort},nohostname,tag=lowslow lowslow_safe;
    ${proxy}
  }`,
    });
    cleanup.push(() => nginx.stop());

    // --- lowslow processes
    const detector = runCli(['detector', '--config', detectorConfig], env);
    const a = runCli(['agent', '--config', agentA], env);
    const b = runCli(['agent', '--config', agentB], env);
    processes.push(detector, a, b);
    const [apiLine, metricsA, metricsB] = await Promise.all([
      detector.waitFor(/"url":"http:\/\/127\.0\.0\.1:\d+"/, 40_000),
      a.waitFor(/"metrics":"http:\/\/127\.0\.0\.1:\d+\/metrics"/, 40_000),
      b.waitFor(/"metrics":"http:\/\/127\.0\.0\.1:\d+\/metrics"/, 40_000),
    ]);
    const api = urlIn(apiLine);
    const [urlA, urlB] = [urlIn(metricsA), urlIn(metricsB)];
    // The second agent's NATS goes away: everything it reads from now on is spooled.
    await natsB.kill();

    // --- history: the header key's honest weeks, then it starts scraping (with a canary query value)
    const lines = scenario({ start: START, days: 4, attackDay: 3 }).map((l) => {
      const own = l.replace(HONEST_KEYS[0] as string, C.keyHeader);
      return own.includes('"remote_addr":"203.0.113.9"') ? own.replace('"args":""', `"args":"q=${C.historyQuery}"`) : own;
    });
    writeFileSync(history, `${lines.join('\n')}\n`);
    const read = (path: string, token = C.apiRead) => fetch(`${api}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const scraper = keyId(C.keyHeader);
    await until(async () => ((await (await read(`/v1/alerts?key_id=${scraper}`)).json()) as { alerts: unknown[] }).alerts.length > 0, 40_000, 'the scraper alert');
    // Every history event consumed before live traffic moves event time to today.
    await until(async () => (await metric(`${api}/metrics`, 'lowslow_detector_events_in_total', C.apiRead)) >= lines.length, 20_000, 'history consumed');

    // --- live traffic through nginx, with every canary
    const transcript: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const r of REQUESTS) {
        for (const port of [ports.file, ports.syslog]) {
          transcript.push(`${r.method} ${r.path} ${JSON.stringify(r.headers)} ${r.body ?? ''}`, await send(port, r));
        }
      }
    }
    const live = ROUNDS * REQUESTS.length * 2;
    await until(async () => (await metric(`${api}/metrics`, 'lowslow_detector_events_in_total', C.apiRead)) >= lines.length + live, 20_000, 'live events consumed');
    await b.waitFor('spooling batches to disk', 20_000);
    await until(() => readdirSync(join(stateB, 'spool')).some((f) => f.endsWith('.spool') && statSync(join(stateB, 'spool', f)).size > 0), 10_000, 'a spooled batch');

    // An analyst acknowledges the alert: a status change on NATS and to every webhook.
    const alert = ((await (await read(`/v1/alerts?key_id=${scraper}`)).json()) as { alerts: Array<{ id: string }> }).alerts[0] as { id: string };
    const ack = await fetch(`${api}/v1/alerts/${alert.id}/ack`, { method: 'POST', headers: { authorization: `Bearer ${C.apiAdmin}` } });
    expect(ack.status).toBe(200);
    await until(() => receivers.every((r) => r.received.length >= 2), 20_000, 'the alert and its acknowledgement at every webhook');
    // Probes of the API carrying a canary in the path, the query and the token: answered, never stored or logged.
    const probes = [
      await fetch(`${api}/v1/alerts/${C.apiProbe}`, { headers: { authorization: `Bearer ${C.apiRead}` } }),
      await fetch(`${api}/v1/alerts?cursor=${C.apiProbe}`, { headers: { authorization: `Bearer ${C.apiRead}` } }),
      await fetch(`${api}/v1/alerts`, { headers: { authorization: `Bearer ${C.apiProbe}` } }),
      await fetch(`${api}/nothing/${C.apiProbe}`, { headers: { authorization: `Bearer ${C.apiRead}` } }),
    ];
    expect(probes.map((p) => p.status)).toEqual([400, 400, 401, 404]);
    transcript.push(`probes with ${C.apiProbe}`);

    // --- the API's every listing
    const apiSinks: Sink[] = [];
    const grab = async (path: string, token = C.apiRead) => {
      const r = await read(path, token);
      const text = await r.text();
      apiSinks.push({ where: `api GET ${path}`, text: `${r.status} ${JSON.stringify([...r.headers])}\n${text}` });
      return { status: r.status, text };
    };
    const alerts = JSON.parse((await grab('/v1/alerts?limit=500')).text) as { alerts: Array<{ id: string; key_id: string }> };
    for (const x of alerts.alerts) await grab(`/v1/alerts/${x.id}`);
    const keys = JSON.parse((await grab('/v1/keys?limit=500')).text) as { keys: Array<{ key_id: string }> };
    const keyIds = new Set([...keys.keys.map((k) => k.key_id), keyId(C.keyHeader), keyId(C.keyBearer), keyId(C.keyQuery)]);
    for (const k of keyIds) await grab(`/v1/keys/${k}`);
    const hooks = JSON.parse((await grab('/v1/webhooks', C.apiAdmin)).text) as { webhooks: Array<{ name: string }> };
    for (const h of hooks.webhooks) await grab(`/v1/webhooks/${h.name}`, C.apiAdmin);
    for (const path of ['/metrics', '/readyz', '/healthz', '/docs/json']) await grab(path);
    // Other encodings of the alert list, where this build has them.
    for (const format of ['ocsf', 'ecs', 'crowdsec']) {
      const r = await read(`/v1/alerts?format=${format}`);
      if (r.status === 200) apiSinks.push({ where: `api GET /v1/alerts?format=${format}`, text: await r.text() });
    }
    const agentMetrics: Sink[] = [
      { where: 'agent a /metrics', text: await (await fetch(urlA)).text() },
      { where: 'agent b /metrics', text: await (await fetch(urlB)).text() },
    ];

    // --- stop the processes (their last log lines included); agent b has no NATS to drain to
    await Promise.all([a.stop(), detector.stop()]);
    const hung = setTimeout(() => void b.stop('SIGKILL'), 8_000);
    await b.stop();
    clearTimeout(hung);
    const logs: Sink[] = [
      { where: 'detector stdout', text: detector.stdout() },
      { where: 'detector stderr', text: detector.stderr() },
      { where: 'agent a stdout', text: a.stdout() },
      { where: 'agent a stderr', text: a.stderr() },
      { where: 'agent b stdout', text: b.stdout() },
      { where: 'agent b stderr', text: b.stderr() },
    ];

    // --- a control value in Redis, deflated as large profiles are: the search must find it
    const control = canary('control');
    const r = new Redis(redis.url);
    await r.set('stack-canary-control:{x}', Buffer.concat([Buffer.from([1]), deflateRawSync(JSON.stringify({ note: control, pad: 'p'.repeat(4000) }))]));
    r.disconnect();

    const [events, alertsStream, redisRead] = await Promise.all([streamSinks(nats.url, 'LOWSLOW_EVENTS'), streamSinks(nats.url, 'LOWSLOW_ALERTS'), redisSinks(redis.url)]);
    const sinks: Record<string, Sink[]> = {
      events: events.sinks,
      alerts: alertsStream.sinks,
      natsStore: fileSinks(nats.storeDir, 'nats store'),
      natsBStore: fileSinks(natsB.storeDir, 'nats b store'),
      redis: redisRead.sinks.filter((s) => !s.where.includes('stack-canary-control')),
      webhooks: receivers.flatMap((rc, i) => rc.received.map((x, j) => ({ where: `webhook ${['generic', 'splunk', 'slack'][i]} #${j}`, text: `${x.url}\n${JSON.stringify(x.headers)}\n${x.body}` }))),
      api: apiSinks,
      logs,
      agentMetrics,
      nginxLogs: fileSinks(logDir, 'nginx log'),
      nginxPrefix: fileSinks(nginx.dir, 'nginx prefix'),
      datagrams: datagrams.map((d, i) => ({ where: `syslog datagram #${i}`, text: d })),
      stateA: fileSinks(stateA, 'agent a state'),
      stateB: fileSinks(stateB, 'agent b state'),
    };

    // --- positive controls: the search finds every canary where it must be ...
    const inputs: Sink[] = [
      { where: 'sent through nginx and its answers', text: transcript.join('\n') },
      { where: 'the environment of the processes', text: JSON.stringify(env) },
      ...fileSinks(join(dir, 'inputs'), 'test inputs'),
    ];
    expect(Object.keys(findCanaries(inputs, SEARCH)).sort()).toEqual(Object.keys(SEARCH).sort());
    expect(findCanaries(redisRead.sinks, { control })).toEqual({ control: ['redis string stack-canary-control:{x}'] });
    // ... and every sink holds the traffic the canaries rode on.
    const text = (name: string) => (sinks[name] as Sink[]).map((s) => s.text).join('\n');
    const markers = REQUESTS.map((x) => x.ua);
    for (const name of ['events', 'nginxLogs', 'datagrams']) for (const m of markers) expect(text(name), `${m} in ${name}`).toContain(`"${m}"`);
    for (const k of [C.keyHeader, C.keyBearer, C.keyQuery]) {
      expect(text('events'), 'key_id in events').toContain(keyId(k));
      expect(text('nginxLogs'), 'key_id in the nginx log').toContain(keyId(k));
      expect(text('redis'), 'key_id in Redis').toContain(`:{${keyId(k)}}:state`);
      expect(text('api'), 'key_id in the API').toContain(keyId(k));
    }
    expect(events.sinks).toHaveLength(events.messages);
    expect(alertsStream.messages).toBeGreaterThanOrEqual(2);
    for (const name of ['alerts', 'webhooks', 'api', 'logs', 'natsStore']) expect(text(name), `the alerting key in ${name}`).toContain(scraper);
    expect(text('stateB'), 'spooled events').toContain(keyId(C.keyHeader));
    expect(text('stateB')).toContain('"stack-5"');
    expect(text('agentMetrics')).toMatch(/lowslow_agent_events_spooled_total [1-9]/);
    expect(redisRead.inflated).toBeGreaterThan(0);
    // The processes logged below info (log.level trace), and said they were spooling.
    expect(text('logs')).toContain('"level":20');
    expect(text('logs')).toContain('spooling batches to disk');

    // --- and no canary anywhere else
    const leaks: Record<string, Record<string, string[]>> = {};
    for (const [name, s] of Object.entries(sinks)) {
      const hits = findCanaries(s, SEARCH);
      if (Object.keys(hits).length > 0) leaks[name] = hits;
    }
    expect(leaks).toEqual({});
  }, 120_000);
});
