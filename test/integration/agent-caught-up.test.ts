/**
 * A file read to its end after a backlog (a start from the beginning, a burst) leaves its last
 * partial batches open: they go out as soon as the end is reached, not nats.flush_ms later. A
 * file that never needed a full read (a live tail's few lines) still waits for the timer.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig, type Config } from '../../contracts/index.js';
import { createFileInput } from '../../agent/inputs/file/index.js';
import { Agent } from '../../agent/pipeline.js';
import { ensureStreams } from '../../bin/connect.js';
import { nginxLine } from '../support/log-lines.js';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';

let nats: NatsServer;
const dir = mkdtempSync(join(tmpdir(), 'lowslow-caught-up-'));

beforeAll(async () => {
  nats = await startNatsServer();
});

afterAll(async () => {
  await nats?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs an agent over a file of `lines` lines with a flush timer of a minute; events acknowledged after `waitMs`. */
async function publishedAfter(name: string, lines: number, waitMs: number): Promise<number> {
  const path = join(dir, `${name}.log`);
  writeFileSync(path, Array.from({ length: lines }, (_, i) => nginxLine({ t: 1_793_600_000 + i, key: `k${i % 37}`, uri: `/v1/a/${i}`, id: i + 1 })).join('\n') + '\n');
  const raw = {
    key_secret: 'caught-up-secret-0123456789',
    inputs: { file: { paths: [path], from_beginning: true } },
    nats: { servers: [nats.url], flush_ms: 60_000, batch_size: 500 },
    agent: { state_dir: join(dir, name), metrics_port: -1 },
  };
  if (!validateConfig(raw)) throw new Error(JSON.stringify(validateConfig.errors));
  const config = raw as Config;
  const nc = await connect({ servers: nats.url });
  await ensureStreams(nc, config.nats, ['events']);
  const agent = new Agent({ config, nc, log: pino({ level: 'silent' }), host: 'gw', inputs: [createFileInput(config)] });
  agent.start();
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline && agent.metrics.eventsPublished < lines) await new Promise((r) => setTimeout(r, 20));
  const published = agent.metrics.eventsPublished;
  await agent.stop();
  await nc.close();
  return published;
}

describe('agent at the end of a backlog', () => {
  it('publishes the last partial batches at once, and leaves a small read to the timer', async () => {
    // ~1.5 MB: several full reads, then the end; 37 keys over 8 partitions leave every batch partial.
    expect(await publishedAfter('backlog', 5_000, 10_000)).toBe(5_000);
    expect(await publishedAfter('small', 200, 1_500)).toBe(0);
  });
});
