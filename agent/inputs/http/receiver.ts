/**
 * The listening side of the http input: starts the Fastify app on `inputs.http.host:port`, closes
 * it when the signal aborts. In-flight requests finish first; idle keep-alive connections close.
 */
import type { FastifyInstance } from 'fastify';
import { AgentError } from '../../errors.js';
import type { ParseOptions } from '../../parsers/raw-record.js';
import type { Input, InputContext } from '../input.js';
import { buildHttpInputApp } from './app.js';
import type { HttpInputConfig } from './config.js';
import { HttpInputMetrics } from './metrics.js';

export class HttpInput implements Input {
  readonly name = 'http';
  readonly metrics = new HttpInputMetrics();
  private bound: string | null = null;

  constructor(
    private readonly config: HttpInputConfig,
    private readonly parse: ParseOptions,
  ) {}

  /** `http://host:port` with the port actually bound, once listening. */
  address(): string | null {
    return this.bound;
  }

  async run(ctx: InputContext): Promise<void> {
    if (ctx.signal.aborted) return;
    const { host, port } = this.config;
    const app: FastifyInstance = buildHttpInputApp({ config: this.config, parse: this.parse, ctx, metrics: this.metrics });
    try {
      await app.listen({ host, port });
    } catch (err) {
      await app.close().catch(() => undefined);
      throw new AgentError('LOWSLOW_AGENT_INPUT', `http: cannot listen on ${host}:${port} (inputs.http.host, inputs.http.port): ${(err as Error).message}`, { cause: err });
    }
    const addr = app.server.address();
    const actualPort = typeof addr === 'object' && addr !== null ? addr.port : port;
    this.bound = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
    ctx.log.info({ input: this.name, address: this.bound, token: this.config.token !== undefined }, 'http input listening');

    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await app.close();
    this.bound = null;
    ctx.log.info({ input: this.name, metrics: this.metrics.snapshot() }, 'http input stopped');
  }
}
