/**
 * The agent's spine: input lines → parser → sanitizer → AccessEvent check → partition batches →
 * JetStream, with a bounded window of unacknowledged publishes and retries with the same msgID.
 */
import type { Logger } from 'pino';
import type { NatsConnection } from '@nats-io/transport-node';
import { partitionOf, validateAccessEvent, type Config } from '../contracts/index.js';
import { AgentError } from './errors.js';
import { runFileInput } from './inputs/file.js';
import { AgentMetrics, RateLimitedWarning } from './metrics.js';
import { PartitionBatcher, type Batch } from './outputs/batch.js';
import { NatsOutput } from './outputs/nats.js';
import { isRejection, parsers, type ParseOptions, type Parser } from './parsers/index.js';
import { Sanitizer } from './sanitize/index.js';

export interface AgentDeps {
  config: Config;
  nc: NatsConnection;
  log: Logger;
  /** Host token, resolved by the caller when config.source.host is empty. */
  host: string;
}

export class Agent {
  readonly metrics = new AgentMetrics();
  private readonly parse: Parser;
  private readonly parseOptions: ParseOptions;
  private readonly sanitizer: Sanitizer;
  private readonly batcher: PartitionBatcher;
  private readonly output: NatsOutput;
  private readonly warning = new RateLimitedWarning();
  private readonly abort = new AbortController();
  private readonly queue: Batch[] = [];
  private inFlight = 0;
  private retryDelayMs = 100;
  private flushTimer: NodeJS.Timeout | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  private inputs: Promise<void> | undefined;
  private idle: (() => void) | undefined;

  constructor(private readonly deps: AgentDeps) {
    const { config } = deps;
    if (!config.key_secret) throw new AgentError('LOWSLOW_AGENT_NO_SECRET');
    const parser = parsers[config.inputs.file.format];
    if (!parser) throw new AgentError('LOWSLOW_AGENT_INPUT', `unknown format ${config.inputs.file.format}`);
    this.parse = parser;
    this.parseOptions = {
      maxLineBytes: config.inputs.max_line_bytes,
      keyHeaders: config.sanitize.key_headers,
      bearer: config.sanitize.bearer,
    };
    this.sanitizer = new Sanitizer({
      secret: config.key_secret,
      gateway: config.source.gateway,
      host: deps.host,
      keyParams: config.sanitize.key_params,
      rawParams: config.sanitize.raw_params,
      truncateIp: config.sanitize.truncate_ip,
    });
    this.batcher = new PartitionBatcher(config.nats.batch_size, (b) => this.enqueue(b));
    this.output = new NatsOutput(deps.nc, { gateway: config.source.gateway, host: deps.host });
  }

  start(): void {
    const { config, log } = this.deps;
    if (config.inputs.file.paths.length === 0) throw new AgentError('LOWSLOW_AGENT_NO_INPUT');
    this.flushTimer = setInterval(() => this.batcher.flush(), config.nats.flush_ms);
    this.statsTimer = setInterval(() => log.info({ metrics: this.metrics.snapshot() }, 'agent stats'), 60_000);
    this.statsTimer.unref();
    this.inputs = runFileInput(
      { paths: config.inputs.file.paths, fromBeginning: config.inputs.file.from_beginning },
      (line) => this.handleLine(line),
      this.abort.signal,
      log,
    );
  }

  /** One line in; synchronous so no line waits on I/O between read and batch. */
  handleLine(line: string): void {
    const m = this.metrics;
    m.linesRead++;
    const raw = this.parse(line, this.parseOptions);
    if (isRejection(raw)) {
      m.rejected[raw]++;
      this.warnRejected(raw);
      return;
    }
    const event = this.sanitizer.toEvent(raw, line);
    if (!validateAccessEvent(event)) {
      m.rejected.invalid_event++;
      this.warnRejected('invalid_event');
      return;
    }
    this.batcher.add(partitionOf(event.key_id, this.deps.config.nats.partitions), event.id, JSON.stringify(event));
  }

  /** Stops the inputs, flushes every buffered event and waits for their acknowledgements. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.abort.abort();
    await this.inputs;
    clearInterval(this.flushTimer);
    clearInterval(this.statsTimer);
    this.batcher.flush();
    const drained = new Promise<void>((resolve) => {
      if (this.queue.length === 0 && this.inFlight === 0) resolve();
      else this.idle = resolve;
    });
    const timer = setTimeout(() => this.idle?.(), timeoutMs);
    await drained;
    clearTimeout(timer);
    const lost = this.queue.reduce((n, b) => n + b.count, 0);
    if (lost > 0) this.deps.log.error({ events: lost }, 'stopped with unpublished events (NATS unreachable)');
    this.deps.log.info({ metrics: this.metrics.snapshot() }, 'agent stopped');
  }

  private warnRejected(reason: string): void {
    const suppressed = this.warning.take();
    if (suppressed >= 0) {
      this.deps.log.warn({ reason, suppressed, rejected_total: this.metrics.rejectedTotal }, 'skipped a malformed log line');
    }
  }

  private enqueue(batch: Batch): void {
    this.queue.push(batch);
    this.pump();
  }

  private pump(): void {
    const max = this.deps.config.nats.max_pending;
    while (this.inFlight < max && this.queue.length > 0) {
      const batch = this.queue.shift() as Batch;
      this.inFlight++;
      void this.output.send(batch).then((result) => this.settle(batch, result));
    }
    if (this.inFlight === 0 && this.queue.length === 0) this.idle?.();
  }

  private settle(batch: Batch, result: 'ok' | 'retry' | 'fatal'): void {
    this.inFlight--;
    if (result === 'ok') {
      this.metrics.eventsPublished += batch.count;
      this.metrics.batchesPublished++;
      this.retryDelayMs = 100;
      this.pump();
      return;
    }
    this.metrics.publishRetries++;
    this.deps.log.warn({ err: this.output.lastError, retry_ms: this.retryDelayMs }, 'publish to JetStream failed; retrying');
    // Same batch, same msgID: JetStream drops it if the first attempt did land.
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, 5_000);
    setTimeout(() => {
      this.queue.unshift(batch);
      this.pump();
    }, delay);
  }
}
