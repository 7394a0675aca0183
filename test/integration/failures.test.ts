import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { runCli } from '../support/cli.js';
import { nginxLine } from '../support/log-lines.js';
import { startNatsServer } from '../support/nats-server.js';
import { startRedisServer } from '../support/redis-server.js';
import { freePort } from '../support/ports.js';

const SECRET = 'failures-secret-0123456789';

describe('a bad config stops with one line naming the field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lowslow-cfg-'));

  it.each([
    ['a value out of range', 'nats:\n  partitions: 0\n', {}, 'nats.partitions: must be >= 1'],
    ['an unknown section', 'natz:\n  servers: [x]\n', {}, 'natz: unknown field'],
    ['a wrong type in the file', 'detection:\n  window_minutes: "sixty"\n', {}, 'detection.window_minutes: must be integer'],
    ['a wrong type in the environment', '{}', { LOWSLOW_API_PORT: 'eighty' }, 'api.port: must be integer'],
    ['a file that does not parse', '[1, 2', {}, 'not valid YAML or JSON'],
  ])('%s', async (_label, text, env, expected) => {
    const file = join(dir, `c${Math.random()}.yaml`);
    writeFileSync(file, text);
    const p = runCli(['detector', '--config', file], { LOWSLOW_KEY_SECRET: SECRET, ...env });
    expect(await p.exited).toBe(2);
    const lines = p.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('lowslow: config error:');
    expect(lines[0]).toContain(expected);
  });

  it('names a too-short key secret without echoing it', async () => {
    const p = runCli(['agent'], { LOWSLOW_KEY_SECRET: 'canary-short', LOWSLOW_INPUTS_FILE_PATHS: '/tmp/x.log' });
    expect(await p.exited).toBe(2);
    expect(p.stderr()).toContain('key_secret: must NOT have fewer than 16 characters');
    expect(p.stderr()).not.toContain('canary-short');
  });

  it('refuses an agent without a secret', async () => {
    const p = runCli(['agent'], { LOWSLOW_INPUTS_FILE_PATHS: '/tmp/x.log' });
    expect(await p.exited).toBe(2);
    expect(p.stderr().trim()).toBe('lowslow: config error: key_secret: is required (set LOWSLOW_KEY_SECRET, at least 16 characters)');
  });
});

describe('servers that are not running at start', () => {
  it('agent: says NATS is unreachable, keeps retrying, and publishes once NATS is up', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'lowslow-nonats-'));
    const log = join(dir, 'access.json');
    writeFileSync(log, '');
    const agent = runCli(['agent'], {
      LOWSLOW_KEY_SECRET: SECRET,
      LOWSLOW_NATS_SERVERS: `nats://127.0.0.1:${port}`,
      LOWSLOW_NATS_RETRY_SECONDS: '0.2',
      LOWSLOW_INPUTS_FILE_PATHS: log,
      LOWSLOW_AGENT_STATE_DIR: join(dir, 'state'),
      LOWSLOW_AGENT_METRICS_PORT: '0',
    });
    try {
      await agent.waitFor(`cannot reach NATS at nats://127.0.0.1:${port}`);
      // A second attempt proves it retries instead of exiting.
      await agent.waitFor(/retrying in 0\.4s/);
      const nats = await startNatsServer({ port });
      try {
        await agent.waitFor('following file', 30_000);
        appendFileSync(log, `${nginxLine({ t: 1_793_000_000, key: 'sk_live_late_nats', uri: '/v1/orders/7', id: 42 })}\n`);
        const nc = await connect({ servers: nats.url });
        const jsm = await jetstreamManager(nc);
        let messages = 0;
        for (let i = 0; i < 100 && messages === 0; i++) {
          messages = (await jsm.streams.info('LOWSLOW_EVENTS')).state.messages;
          if (messages === 0) await new Promise((r) => setTimeout(r, 100));
        }
        expect(messages).toBe(1);
        await nc.close();
      } finally {
        expect(await agent.stop()).toBe(0);
        await nats.stop();
      }
    } finally {
      await agent.stop('SIGKILL');
    }
  }, 60_000);

  it('detector: says Redis is unreachable, keeps retrying, and starts once Redis is up', async () => {
    const port = await freePort();
    const nats = await startNatsServer();
    const detector = runCli(['detector'], {
      LOWSLOW_NATS_SERVERS: nats.url,
      LOWSLOW_REDIS_URL: `redis://:redis-canary-pass@127.0.0.1:${port}`,
      LOWSLOW_API_PORT: '0',
    });
    try {
      await detector.waitFor(`cannot reach Redis at redis://:***@127.0.0.1:${port} (ECONNREFUSED)`);
      expect(detector.stderr()).toContain('check redis.url / LOWSLOW_REDIS_URL');
      expect(detector.stderr()).not.toContain('redis-canary-pass');
      const redis = await startRedisServer({ port, password: 'redis-canary-pass' });
      try {
        await detector.waitFor('connected to Redis', 30_000);
        await detector.waitFor('API listening', 30_000);
        expect(detector.stderr()).not.toContain('redis-canary-pass');
      } finally {
        await detector.stop();
        await redis.stop();
      }
    } finally {
      await detector.stop('SIGKILL');
      await nats.stop();
    }
  }, 60_000);
});
