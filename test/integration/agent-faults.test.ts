import { copyFileSync, mkdtempSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliProcess } from '../support/cli.js';
import { LogWriter } from '../support/log-writer.js';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';
import { waitForEvents } from '../support/stream.js';

const SECRET = 'agent-faults-secret-0123456789';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'lowslow-faults-'));
  const log = join(dir, 'access.json');
  writeFileSync(log, '');
  return { dir, log, writer: new LogWriter(log) };
}

function agentEnv(nats: NatsServer, dir: string, log: string): Record<string, string> {
  return {
    LOWSLOW_KEY_SECRET: SECRET,
    LOWSLOW_NATS_SERVERS: nats.url,
    LOWSLOW_INPUTS_FILE_PATHS: log,
    LOWSLOW_AGENT_STATE_DIR: join(dir, 'state'),
    LOWSLOW_AGENT_METRICS_PORT: '-1',
    LOWSLOW_NATS_RETRY_SECONDS: '0.2',
    LOWSLOW_SOURCE_HOST: 'gw',
  };
}

/** Every line written is in the stream exactly once. */
function expectExactlyOnce(ids: string[], writer: LogWriter): void {
  const expected = writer.expectedIds();
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  const missing = expected.filter((id) => !counts.has(id));
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  expect({ missing: missing.length, duplicated: duplicated.length, total: ids.length }).toEqual({ missing: 0, duplicated: 0, total: expected.length });
}

describe('agent: no line lost or duplicated', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('across kill -9 and restart mid-stream', async () => {
    const nats = await startNatsServer();
    cleanups.push(() => nats.stop());
    const { dir, log, writer } = setup();
    let agent: CliProcess = runCli(['agent'], agentEnv(nats, dir, log));
    cleanups.push(() => agent.stop('SIGKILL'));
    await agent.waitFor('following file');
    const writing = writer.write(30_000, 200, 5);
    await sleep(1_500);
    agent.child.kill('SIGKILL');
    await agent.exited;
    await sleep(300);
    agent = runCli(['agent'], agentEnv(nats, dir, log));
    await agent.waitFor('following file');
    await writing;
    const ids = await waitForEvents(nats.url, writer.written);
    expectExactlyOnce(ids, writer);
    expect(agent.stderr()).toContain('resuming: read back the ids published since the last checkpoint');
  }, 120_000);

  it('across rename rotation under load', async () => {
    const nats = await startNatsServer();
    cleanups.push(() => nats.stop());
    const { dir, log, writer } = setup();
    const agent = runCli(['agent'], agentEnv(nats, dir, log));
    cleanups.push(() => agent.stop('SIGKILL'));
    await agent.waitFor('following file');
    for (let r = 1; r <= 3; r++) {
      await writer.write(5_000, 250, 5);
      // logrotate's default: rename, then the gateway reopens a new file (USR1).
      renameSync(log, `${log}.${r}`);
      // NGINX keeps writing to the renamed file until it reopens its logs.
      writer.path = `${log}.${r}`;
      await writer.write(400, 200, 5);
      writeFileSync(log, '');
      writer.path = log;
    }
    await writer.write(5_000, 250, 5);
    const ids = await waitForEvents(nats.url, writer.written);
    expectExactlyOnce(ids, writer);
    expect(agent.stderr()).toContain('file rotated (renamed)');
  }, 120_000);

  it('across copytruncate rotation', async () => {
    const nats = await startNatsServer();
    cleanups.push(() => nats.stop());
    const { dir, log, writer } = setup();
    const agent = runCli(['agent'], agentEnv(nats, dir, log));
    cleanups.push(() => agent.stop('SIGKILL'));
    await agent.waitFor('following file');
    for (let r = 1; r <= 3; r++) {
      await writer.write(5_000, 250, 5);
      // copytruncate loses what the gateway writes between copy and truncate by its nature;
      // the agent must only keep up, notice the truncation and start over without duplicates.
      await waitForEvents(nats.url, writer.written, 30_000);
      copyFileSync(log, `${log}.${r}`);
      truncateSync(log, 0);
    }
    await writer.write(3_000, 250, 5);
    const ids = await waitForEvents(nats.url, writer.written);
    expectExactlyOnce(ids, writer);
    expect(agent.stderr()).toContain('file truncated (copytruncate)');
  }, 120_000);

  it('across a NATS outage: spooled to disk, drained when NATS returns', async () => {
    const storeDir = mkdtempSync(join(tmpdir(), 'lowslow-js-'));
    let nats = await startNatsServer({ storeDir });
    const port = nats.port;
    cleanups.push(() => nats.stop());
    const { dir, log, writer } = setup();
    const agent = runCli(['agent'], agentEnv(nats, dir, log));
    cleanups.push(() => agent.stop('SIGKILL'));
    await agent.waitFor('following file');
    await writer.write(5_000, 250, 5);
    await nats.kill();
    await writer.write(10_000, 250, 5);
    await agent.waitFor('spooling batches to disk', 30_000);
    nats = await startNatsServer({ port, storeDir });
    await writer.write(5_000, 250, 5);
    const ids = await waitForEvents(nats.url, writer.written, 90_000);
    if (ids.length !== writer.written) console.log(agent.stderr().slice(-5000));
    expectExactlyOnce(ids, writer);
    await agent.waitFor('disk spool drained', 30_000);
  }, 150_000);
});
