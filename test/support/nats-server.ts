/**
 * Starts a real nats-server with JetStream on a free loopback port, as nats.js's launcher does:
 * `listen: 127.0.0.1:-1` with a ports file in a temp dir, watching for early exit, then a TCP
 * probe. `port` pins the port (for restarts on the same address); `storeDir` keeps the data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findBinary } from './binaries.js';
import { waitForTcp } from './ports.js';

export interface NatsServer {
  url: string;
  port: number;
  storeDir: string;
  /** The server's process id (benchmarks read its CPU time). */
  pid: number;
  stop(): Promise<void>;
  /** kill -9 */
  kill(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startNatsServer(opts: { port?: number; storeDir?: string } = {}): Promise<NatsServer> {
  const bin = findBinary('nats-server', 'nats-server');
  const dir = mkdtempSync(join(tmpdir(), 'lowslow-nats-'));
  const storeDir = opts.storeDir ?? join(dir, 'js');
  const conf = join(dir, 'nats.conf');
  writeFileSync(
    conf,
    `listen: "127.0.0.1:${opts.port ?? -1}"\nports_file_dir: "${dir}"\njetstream { store_dir: "${storeDir}" }\n`,
  );
  const child: ChildProcess = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + 10_000;
  let port = 0;
  while (port === 0) {
    if (exited) throw new Error(`nats-server exited early: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`nats-server did not write its ports file: ${stderr}`);
    const f = readdirSync(dir).find((n) => n.endsWith('.ports'));
    if (f) {
      try {
        const ports = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { nats: string[] };
        port = Number(new URL(ports.nats[0] as string).port);
      } catch {
        // written in two steps; read again
      }
    }
    if (port === 0) await sleep(25);
  }
  await waitForTcp(port, 10_000, () => !exited);
  const stopWith = async (signal: NodeJS.Signals) => {
    if (exited) return;
    const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await done;
  };
  const server: NatsServer = {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    pid: child.pid as number,
    stop: async () => {
      await stopWith('SIGTERM');
      if (opts.storeDir === undefined) rmSync(dir, { recursive: true, force: true });
    },
    kill: () => stopWith('SIGKILL'),
    [Symbol.asyncDispose]: () => server.stop(),
  };
  return server;
}
