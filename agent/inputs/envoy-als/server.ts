/**
 * The gRPC server behind the Envoy ALS input: serves envoy.service.accesslog.v3.AccessLogService
 * on `inputs.envoy_als.host:port` (plaintext; keep it on loopback or a private network) and shuts
 * down when the signal aborts. Envoy reconnects by itself and opens new streams.
 */
import { Server, ServerCredentials, type handleClientStreamingCall } from '@grpc/grpc-js';
import { AgentError } from '../../errors.js';
import type { ParseOptions } from '../../parsers/raw-record.js';
import type { Input, InputContext } from '../input.js';
import type { EnvoyAlsInputConfig } from './config.js';
import { Gate } from './gate.js';
import type { StreamAccessLogsMessage } from './messages.js';
import { EnvoyAlsInputMetrics } from './metrics.js';
import { loadAlsService } from './proto.js';
import { serveStream } from './stream.js';

export class EnvoyAlsInput implements Input {
  readonly name = 'envoy-als';
  readonly metrics = new EnvoyAlsInputMetrics();
  private bound: string | null = null;

  constructor(
    private readonly config: EnvoyAlsInputConfig,
    private readonly parse: ParseOptions,
  ) {}

  /** `grpc://host:port` with the port actually bound, once listening. */
  address(): string | null {
    return this.bound;
  }

  async run(ctx: InputContext): Promise<void> {
    if (ctx.signal.aborted) return;
    const service = loadAlsService();
    const server = new Server();
    const deps = { ctx, parse: this.parse, gate: new Gate(ctx), metrics: this.metrics };
    const handler: handleClientStreamingCall<StreamAccessLogsMessage, Record<string, never>> = (call, respond) => serveStream(call, respond, deps);
    server.addService(service, { StreamAccessLogs: handler });
    const { host, port } = this.config;
    const hostPart = host.includes(':') ? `[${host}]` : host;
    const actualPort = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`${hostPart}:${port}`, ServerCredentials.createInsecure(), (err, bound) => {
        if (err === null) resolve(bound);
        else reject(new AgentError('LOWSLOW_AGENT_INPUT', `envoy-als: cannot listen on ${host}:${port} (inputs.envoy_als.host, inputs.envoy_als.port): ${err.message}`, { cause: err }));
      });
    });
    this.bound = `grpc://${hostPart}:${actualPort}`;
    ctx.log.info({ input: this.name, address: this.bound }, 'envoy ALS input listening');

    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    // Envoy's streams never end by themselves: cut them; everything received was handed over.
    server.forceShutdown();
    this.bound = null;
    ctx.log.info({ input: this.name, metrics: this.metrics.snapshot() }, 'envoy ALS input stopped');
  }
}
