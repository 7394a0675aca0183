/**
 * The UDP socket behind the syslog input: one datagram is one access log line.
 *
 * UDP has no flow control, so backpressure cannot reach NGINX: while the pipeline is full (after
 * `ctx.line()` answered false and until `ctx.drained()` resolves) every datagram that arrives is
 * dropped and counted in `lowslow_syslog_input_datagrams_dropped_total`, and one warning says how
 * many when the pipeline has room again. Bursts that outrun the agent are dropped by the kernel
 * before Node sees them: the socket asks for a RECEIVE_BUFFER_BYTES buffer (capped by
 * net.core.rmem_max) and the kernel's own drop count is exported as
 * `lowslow_syslog_input_datagrams_kernel_dropped_total` (Linux). Use the file input where no line
 * may be lost.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { AgentError } from '../../errors.js';
import type { Input, InputContext } from '../input.js';
import type { SyslogInputConfig } from './config.js';
import { syslogPayload } from './header.js';
import { SyslogInputMetrics } from './metrics.js';

/** Asked of the kernel for the socket's receive buffer; Linux caps it at net.core.rmem_max. */
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

export class SyslogInput implements Input {
  readonly name = 'syslog';
  readonly metrics = new SyslogInputMetrics();
  private bound: string | null = null;

  constructor(
    private readonly config: SyslogInputConfig,
    private readonly maxLineBytes: number,
  ) {}

  /** `udp://host:port` with the port actually bound, once listening. */
  address(): string | null {
    return this.bound;
  }

  async run(ctx: InputContext): Promise<void> {
    if (ctx.signal.aborted) return;
    const { host, port } = this.config;
    const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
    const actualPort = await bind(socket, host, port);
    this.bound = `udp://${isIPv6(host) ? `[${host}]` : host}:${actualPort}`;
    this.metrics.port = actualPort;
    ctx.log.info({ input: this.name, address: this.bound, receive_buffer_bytes: receiveBuffer(socket) }, 'syslog input listening');

    let paused = false;
    let droppedWhilePaused = 0;
    const resume = (): void => {
      paused = false;
      if (droppedWhilePaused > 0) {
        ctx.log.warn({ input: this.name, dropped: droppedWhilePaused }, 'syslog datagrams dropped while the pipeline was full (UDP cannot be paused)');
      }
      droppedWhilePaused = 0;
    };
    socket.on('message', (buf: Buffer) => {
      const m = this.metrics;
      m.datagrams++;
      if (paused) {
        m.dropped++;
        droppedWhilePaused++;
        return;
      }
      const text = buf.toString('utf8');
      let line = syslogPayload(text);
      if (line === null) {
        m.unframed++;
        line = text.endsWith('\n') ? text.slice(0, text.endsWith('\r\n') ? -2 : -1) : text;
      }
      // Handed over anyway: the parser rejects it as too_long, where every input's rejects are counted.
      if (line.length > this.maxLineBytes) m.oversize++;
      if (!ctx.line(line, this.config.format)) {
        paused = true;
        void ctx.drained().then(resume);
      }
    });
    // After bind, socket errors (e.g. ICMP noise) are not fatal; the message never holds content.
    socket.on('error', (err) => ctx.log.warn({ input: this.name, err: err.message }, 'syslog socket error'));

    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    // The kernel's drop count disappears with the socket: take the last snapshot first.
    const last = this.metrics.snapshot();
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    ctx.log.info({ input: this.name, metrics: last }, 'syslog input stopped');
    this.bound = null;
    this.metrics.port = null;
  }
}

/** Enlarges the receive buffer as far as the kernel allows; answers the size obtained. */
function receiveBuffer(socket: Socket): number {
  try {
    socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
  } catch {
    // Refused by the platform: the default buffer stays.
  }
  return socket.getRecvBufferSize();
}

function bind(socket: Socket, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      socket.close();
      reject(new AgentError('LOWSLOW_AGENT_INPUT', `syslog: cannot listen on udp ${host}:${port} (inputs.syslog.host, inputs.syslog.port): ${err.message}`, { cause: err }));
    };
    socket.once('error', onError);
    socket.bind(port, host, () => {
      socket.off('error', onError);
      resolve(socket.address().port);
    });
  });
}
