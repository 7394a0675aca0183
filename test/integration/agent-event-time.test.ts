/**
 * Event time far past the host's clock is a broken or forged line, not a request: one such event
 * would move its detector partition's event time years ahead, where every later event is late
 * and dropped. The agent refuses it (bad_time) on every path, and keeps past times (replays).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig, type Config } from '../../contracts/index.js';
import { Agent } from '../../agent/pipeline.js';
import { MAX_AHEAD_MS } from '../../agent/sanitize/bounds.js';
import { ensureStreams } from '../../bin/connect.js';
import { Feed } from '../support/feed-input.js';
import { nginxLine } from '../support/log-lines.js';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';
import { streamEvents } from '../support/stream.js';

let nats: NatsServer;
const dir = mkdtempSync(join(tmpdir(), 'lowslow-event-time-'));

beforeAll(async () => {
  nats = await startNatsServer();
});

afterAll(async () => {
  await nats?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('agent event time', () => {
  it('refuses times more than a day past the clock on lines and pre-built events, and keeps old ones', async () => {
    const raw = { key_secret: 'event-time-secret-0123456789', nats: { servers: [nats.url], flush_ms: 20 }, agent: { state_dir: join(dir, 'state'), metrics_port: -1 } };
    if (!validateConfig(raw)) throw new Error(JSON.stringify(validateConfig.errors));
    const config = raw as Config;
    const nc = await connect({ servers: nats.url });
    await ensureStreams(nc, config.nats, ['events']);
    const seconds = (ms: number) => ms / 1000;
    const now = Date.now();
    const prebuilt = (id: string, ts: number) => ({
      v: 1, id, ts, source: { gateway: 'kong', host: 'gw' }, key_id: null, client: { ip: '', ua: '' },
      request: { method: 'GET', route: '/', objects: [], params: [], bytes: 0 }, response: { status: 200, bytes: 0, latency_ms: 0 },
    });
    const input = new Feed((ctx) => {
      ctx.line(nginxLine({ t: 1_431_857_103, key: 'k', uri: '/v1/a/1', id: 1 }), 'nginx-json'); // 2015: kept
      ctx.line(nginxLine({ t: seconds(now), key: 'k', uri: '/v1/a/2', id: 2 }), 'nginx-json'); // now: kept
      ctx.line(nginxLine({ t: seconds(now + MAX_AHEAD_MS / 2), key: 'k', uri: '/v1/a/3', id: 3 }), 'nginx-json'); // clock skew: kept
      ctx.line(nginxLine({ t: seconds(now + 2 * MAX_AHEAD_MS), key: 'k', uri: '/v1/a/4', id: 4 }), 'nginx-json');
      ctx.line(nginxLine({ t: 1e20, key: 'k', uri: '/v1/a/5', id: 5 }), 'nginx-json');
      ctx.line('{"time":"1e308","method":"GET","uri":"/v1/a/6"}', 'nginx-json');
      ctx.event(prebuilt('prebuilt-ok-0001', now - 1000));
      ctx.event(prebuilt('prebuilt-future-0001', now + 3 * MAX_AHEAD_MS));
    });
    const agent = new Agent({ config, nc, log: pino({ level: 'silent' }), host: 'gw', inputs: [input] });
    agent.start();
    await input.done;
    await agent.stop();
    await nc.close();
    expect(agent.metrics.rejected.bad_time).toBe(4);
    expect(agent.metrics.linesParsed).toBe(4);
    expect(agent.metrics.eventsPublished).toBe(4);
    const routes = (await streamEvents(nats.url)).map(({ event }) => `${event.id}`).sort();
    expect(routes).toHaveLength(4);
    expect(routes).toContain('prebuilt-ok-0001');
    expect(routes).not.toContain('prebuilt-future-0001');
  });
});
