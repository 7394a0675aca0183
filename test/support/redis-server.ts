/**
 * Starts a real redis-server on a reserved free loopback port (`--port 0` would disable TCP) and
 * waits until it answers. By default nothing is persisted. With `dir`, the data lives there as an
 * append-only file fsynced before every reply (`appendonly yes`, `appendfsync always`): a
 * kill -9 and a restart on the same port and dir lose no write Redis acknowledged. `fsync:
 * 'everysec'` is what docker-compose.yml ships (a crash of the machine may lose a second).
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
  /** kill -9 */
  kill(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startRedisServer(opts: { port?: number; password?: string; dir?: string; fsync?: 'always' | 'everysec' } = {}): Promise<RedisServer> {
  const bin = findBinary('redis-server', 'redis-server');
  const port = opts.port ?? (await freePort());
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'lowslow-redis-'));
  const persistence = opts.dir === undefined ? ['--appendonly', 'no'] : ['--appendonly', 'yes', '--appendfsync', opts.fsync ?? 'always'];
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', dir, ...(opts.password ? ['--requirepass', opts.password] : [])], {
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
  const stopWith = async (signal: NodeJS.Signals) => {
    if (exited) return;
    const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await done;
  };
  const server: RedisServer = {
    url: opts.password ? `redis://:${opts.password}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      await stopWith('SIGTERM');
      if (opts.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
    kill: () => stopWith('SIGKILL'),
    [Symbol.asyncDispose]: () => server.stop(),
  };
  return server;
}
