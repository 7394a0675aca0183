/**
 * The live stack as real processes, for fault tests and the soak benchmark: nats-server with a
 * JetStream store dir and redis-server with an append-only file fsynced before every reply by
 * default (both restartable on the same port with their data), a `lowslow detector` and a `lowslow agent` following one log
 * file. Every part can be killed with SIGKILL and started again; restarts are counted.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCli, type CliProcess } from './cli.js';
import { startNatsServer, type NatsServer } from './nats-server.js';
import { freePort } from './ports.js';
import { startRedisServer, type RedisServer } from './redis-server.js';

export type Part = 'agent' | 'detector' | 'nats' | 'redis';

export interface StackOptions {
  /** HMAC secret for the agent; passed in the environment, never logged. */
  secret: string;
  partitions: number;
  /** Extra LOWSLOW_* variables for both processes (detection settings, batch sizes). */
  env?: Record<string, string>;
  /** Redis append-only file fsync policy. @default "always" */
  redisFsync?: 'always' | 'everysec';
}

export class Stack {
  readonly restarts: Record<Part, number> = { agent: 0, detector: 0, nats: 0, redis: 0 };
  /** The log file the agent follows. */
  readonly log: string;
  /** The detector's API and the agent's /metrics, stable across restarts. */
  readonly api: string;
  readonly agentMetrics: string;
  agent!: CliProcess;
  detector!: CliProcess;
  private readonly env: Record<string, string>;

  private constructor(
    readonly dir: string,
    public nats: NatsServer,
    public redis: RedisServer,
    ports: { api: number; agent: number },
    private readonly opts: StackOptions,
  ) {
    this.log = join(dir, 'access.json');
    this.api = `http://127.0.0.1:${ports.api}`;
    this.agentMetrics = `http://127.0.0.1:${ports.agent}/metrics`;
    this.env = {
      LOWSLOW_KEY_SECRET: opts.secret,
      LOWSLOW_NATS_SERVERS: nats.url,
      LOWSLOW_NATS_PARTITIONS: String(opts.partitions),
      LOWSLOW_NATS_RETRY_SECONDS: '0.2',
      LOWSLOW_REDIS_URL: redis.url,
      LOWSLOW_INPUTS_FILE_PATHS: this.log,
      LOWSLOW_INPUTS_FILE_FROM_BEGINNING: 'true',
      LOWSLOW_AGENT_STATE_DIR: join(dir, 'agent'),
      LOWSLOW_AGENT_METRICS_PORT: String(ports.agent),
      LOWSLOW_API_PORT: String(ports.api),
      LOWSLOW_SOURCE_HOST: 'gw',
      ...opts.env,
    };
  }

  static async start(opts: StackOptions): Promise<Stack> {
    const dir = mkdtempSync(join(tmpdir(), 'lowslow-stack-'));
    mkdirSync(join(dir, 'redis'));
    const [nats, redis, api, agent] = await Promise.all([
      startNatsServer({ storeDir: join(dir, 'js') }),
      startRedisServer({ dir: join(dir, 'redis'), ...(opts.redisFsync ? { fsync: opts.redisFsync } : {}) }),
      freePort(),
      freePort(),
    ]);
    const stack = new Stack(dir, nats, redis, { api, agent }, opts);
    writeFileSync(stack.log, '');
    try {
      await Promise.all([stack.startDetector(), stack.startAgent()]);
    } catch (err) {
      await stack.stop();
      throw err;
    }
    return stack;
  }

  private async startDetector(): Promise<void> {
    this.detector = runCli(['detector'], this.env);
    await this.detector.waitFor('API listening', 60_000);
  }

  private async startAgent(): Promise<void> {
    this.agent = runCli(['agent'], this.env);
    await this.agent.waitFor('following file', 60_000);
  }

  /**
   * kill -9 of one part, `downMs` with it gone, then the same part started again on its data. A
   * process is first frozen (SIGSTOP) for `busyMs` and let go, so it dies while it catches up,
   * in the middle of its work rather than waiting for the next line.
   */
  async crash(part: Part, o: { downMs: number; busyMs?: number }): Promise<void> {
    if (part === 'agent' || part === 'detector') {
      const p = part === 'agent' ? this.agent : this.detector;
      if (o.busyMs) {
        p.child.kill('SIGSTOP');
        await sleep(o.busyMs);
        p.child.kill('SIGCONT');
        await sleep(100);
      }
      p.child.kill('SIGKILL');
      await p.exited;
    } else if (part === 'nats') {
      await this.nats.kill();
    } else {
      await this.redis.kill();
    }
    await sleep(o.downMs);
    if (part === 'agent') await this.startAgent();
    else if (part === 'detector') await this.startDetector();
    else if (part === 'nats') this.nats = await startNatsServer({ port: this.nats.port, storeDir: this.nats.storeDir });
    else this.redis = await startRedisServer({ port: this.redis.port, dir: join(this.dir, 'redis'), ...(this.opts.redisFsync ? { fsync: this.opts.redisFsync } : {}) });
    this.restarts[part]++;
  }

  /** Both processes' output, for a failing assertion's message. */
  output(): string {
    return `--- agent\n${this.agent.stderr().slice(-4000)}\n--- detector\n${this.detector.stderr().slice(-4000)}`;
  }

  async stop(): Promise<void> {
    await Promise.all([this.agent?.stop(), this.detector?.stop()]);
    await Promise.all([this.nats.stop(), this.redis.stop()]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
