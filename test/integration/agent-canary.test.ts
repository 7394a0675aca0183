/**
 * Canary secrets planted in keys, headers, cookies and query values, through every input the
 * agent has, with NATS up and then down (so the spool fills): none of them may appear in the
 * stream, the logs, the spool or the checkpoints.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { validateConfig, type Config } from '../../contracts/index.js';
import { enabledInputs } from '../../agent/inputs/enabled.js';
import { Agent } from '../../agent/pipeline.js';
import { ensureStreams } from '../../bin/connect.js';
import { nginxLine } from '../support/log-lines.js';
import { startNatsServer } from '../support/nats-server.js';
import { streamEventIds } from '../support/stream.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstream } from '@nats-io/jetstream';

const CANARIES = {
  key: 'sk_live_CANARYkey7Q2',
  queryKey: 'CANARYquerykey88',
  queryValue: 'CANARYsearchterm55',
  bearer: 'CANARYbearer3141',
  cookie: 'CANARYcookie2718',
  kongKey: 'CANARYkongkey1618',
};

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

describe('agent canaries', () => {
  it('no planted secret reaches the stream, the logs, the spool or the checkpoints', async () => {
    const nats = await startNatsServer();
    const dir = mkdtempSync(join(tmpdir(), 'lowslow-canary-'));
    const log = join(dir, 'access.json');
    writeFileSync(log, '');
    const raw = {
      key_secret: 'canary-test-secret-0123456789',
      source: { host: 'gw' },
      inputs: { file: { paths: [log] }, http: { enabled: true, port: 0 } },
      nats: { servers: [nats.url], partitions: 4, retry_seconds: 0.2, flush_ms: 20 },
      agent: { state_dir: join(dir, 'state'), metrics_port: -1 },
      log: { level: 'debug' },
    };
    if (!validateConfig(raw)) throw new Error(JSON.stringify(validateConfig.errors));
    const config = raw as Config;
    let logs = '';
    const logger = pino({ level: 'trace' }, new Writable({ write: (c, _e, cb) => ((logs += c.toString()), cb()) }));
    const nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
    await ensureStreams(nc, config.nats, ['events']);
    const inputs = await enabledInputs(config);
    const agent = new Agent({ config, nc, log: logger, host: 'gw', inputs });
    agent.start();
    const http = inputs.find((i) => i.name === 'http');
    for (let i = 0; i < 50 && !http?.address?.(); i++) await sleep(50);
    const base = http?.address?.() as string;

    let id = 1;
    const fileLines = (n: number) =>
      Array.from({ length: n }, () =>
        nginxLine({ t: 1_793_600_000 + id, key: CANARIES.key, uri: `/v1/orders/${id}`, args: `q=${CANARIES.queryValue}&api_key=${CANARIES.queryKey}&page=2`, id: id++ }),
      ).join('\n');
    const kong = (n: number) =>
      JSON.stringify(
        Array.from({ length: n }, () => ({
          started_at: 1_793_600_000_000 + id,
          client_ip: '10.0.0.9',
          request: {
            id: (id++).toString(16).padStart(32, 'a'),
            method: 'GET',
            uri: `/v1/customers/7?search=${CANARIES.queryValue}`,
            size: 10,
            querystring: { search: CANARIES.queryValue },
            headers: { 'x-api-key': CANARIES.kongKey, authorization: `Bearer ${CANARIES.bearer}`, cookie: `session=${CANARIES.cookie}`, 'user-agent': 'k' },
          },
          response: { status: 200, size: 5 },
          latencies: { request: 3 },
        })),
      );

    appendFileSync(log, `${fileLines(300)}\n`);
    expect((await fetch(`${base}/kong`, { method: 'POST', body: kong(50), headers: { 'content-type': 'application/json' } })).status).toBe(200);
    for (let i = 0; i < 100 && agent.metrics.eventsPublished < 350; i++) await sleep(50);
    expect(agent.metrics.eventsPublished).toBe(350);

    // NATS goes away: what follows is spooled to disk.
    await nats.kill();
    appendFileSync(log, `${fileLines(300)}\n`);
    await fetch(`${base}/kong`, { method: 'POST', body: kong(50), headers: { 'content-type': 'application/json' } });
    for (let i = 0; i < 200 && agent.metrics.eventsSpooled < 350; i++) await sleep(50);
    expect(agent.metrics.eventsSpooled).toBeGreaterThanOrEqual(350);

    const spooled = filesUnder(join(dir, 'state')).map((f) => readFileSync(f, 'latin1')).join('\n');
    expect(spooled.length).toBeGreaterThan(10_000);
    // NATS returns on the same port; the spool drains.
    const back = await startNatsServer({ port: nats.port, storeDir: nats.storeDir });
    for (let i = 0; i < 300 && agent.metrics.eventsPublished < 700; i++) await sleep(50);
    await agent.stop();
    await nc.close();

    const published: string[] = [];
    const nc2 = await connect({ servers: back.url });
    const consumer = await jetstream(nc2).consumers.get('LOWSLOW_EVENTS');
    const batch = await consumer.fetch({ max_messages: 10_000, expires: 2_000 });
    for await (const m of batch) published.push(m.string());
    await nc2.close();
    const stream = published.join('\n');
    expect((await streamEventIds(back.url)).length).toBe(700);
    const state = filesUnder(join(dir, 'state')).map((f) => readFileSync(f, 'latin1')).join('\n');
    for (const [where, text] of Object.entries({ stream, logs, spooled, state })) {
      for (const [name, canary] of Object.entries(CANARIES)) expect(text.includes(canary), `${name} canary found in ${where}`).toBe(false);
    }
    await back.stop();
  }, 90_000);
});
