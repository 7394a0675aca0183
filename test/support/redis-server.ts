/**
 * Starts a real redis-server on a reserved free loopback port (`--port 0` would disable TCP),
 * nothing persisted, and waits until it answers.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from './binaries.js';
import { freePort, waitForTcp } from './ports.js';

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startRedisServer(opts: { port?: number; password?: string } = {}): Promise<RedisServer> {
  const bin = findBinary('redis-server', 'redis-server');
  const port = opts.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'lowslow-redis-'));
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...(opts.password ? ['--requirepass', opts.password] : [])], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let exited = false;
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  child.once('exit', () => {
    exited = true;
  });
  try {
    await waitForTcp(port, 10_000, () => !exited);
  } catch (err) {
    throw new Error(`redis-server did not start: ${(err as Error).message} ${stderr}`);
  }
  const server: RedisServer = {
    url: opts.password ? `redis://:${opts.password}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      if (!exited) {
        const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await done;
      }
      rmSync(dir, { recursive: true, force: true });
    },
    [Symbol.asyncDispose]: () => server.stop(),
  };
  return server;
}
