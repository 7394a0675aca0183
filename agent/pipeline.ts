/**
 * The agent's spine: inputs → parser → sanitizer → AccessEvent check → partition batches →
 * JetStream, with a bounded window of unacknowledged publishes. Batches that cannot be published
 * go to the disk spool and are drained in order when NATS answers again; while the spool is not
 * empty new batches queue behind it. Inputs pause when too much is unacknowledged.
 */
import type { Logger } from 'pino';
import type { NatsConnection } from '@nats-io/transport-node';
import { join } from 'node:path';
import type { AccessEvent, Config, LineFormat } from '../contracts/index.js';
import { describeError, eventPartition, validateAccessEvent } from '../contracts/core.js';
import { AgentError } from './errors.js';
import type { Input, InputContext } from './inputs/input.js';
import { stateDirOf } from './inputs/file/index.js';
import { AgentMetrics, RateLimitedWarning } from './metrics.js';
import { PartitionBatcher, type Batch } from './outputs/batch.js';
import { NatsOutput, type SendResult } from './outputs/nats.js';
import { partitionOf } from './outputs/partitioner.js';
import { isRejection, parsers, type ParseOptions, type ParseResult, type RawRecord, type RejectReason } from './parsers/index.js';
import { MAX_AHEAD_MS, numbersInContract } from './sanitize/bounds.js';
import { Sanitizer } from './sanitize/index.js';
import { DiskSpool, type SpooledBatch } from './spool/disk-spool.js';

export interface AgentDeps {
  config: Config;
  nc: NatsConnection;
  log: Logger;
  /** Host token, resolved by the caller when config.source.host is empty. */
  host: string;
  inputs: Input[];
  /** Event ids already in the stream (restart after a crash): skipped once, not republished; the agent deletes each id from the set as it meets it. */
  published?: Set<string>;
}

/** A well-formed record, sanitized once at construction to check the config-given parts of every event. */
const PROBE_RECORD: RawRecord = {
  requestId: 'probe-0000',
  ts: 0,
  ip: '',
  method: 'GET',
  path: '/',
  query: '',
  status: 200,
  requestBytes: 0,
  responseBytes: 0,
  latencyMs: 0,
  userAgent: '',
  apiKey: null,
  keyId: null,
};

const DRAIN_BACKOFF_MS = [200, 500, 1000, 2000, 5000];
/** Lines handleLines() takes through each stage at a time. */
const STAGE_LINES = 256;


/** Stable text of a structured record for deriving its event id when the gateway gave none. */
function recordOrigin(r: RawRecord, source: string): string {
  return `${source}\u0000${r.ts}\u0000${r.ip}\u0000${r.method}\u0000${r.path}\u0000${r.query}\u0000${r.status}\u0000${r.latencyMs}\u0000${r.userAgent}`;
}

export class Agent {
  readonly metrics = new AgentMetrics();
  private readonly parseOptions: ParseOptions;
  private readonly partitions: number;
  private readonly maxBuffered: number;
  private readonly sanitizer: Sanitizer;
  private readonly batcher: PartitionBatcher;
  private readonly output: NatsOutput;
  private readonly spool: DiskSpool;
  private readonly warning = new RateLimitedWarning();
  private readonly abort = new AbortController();
  /** Batches cut but not yet published or spooled (queued or in flight). */
  private readonly outstanding = new Set<Batch>();
  private readonly queue: Batch[] = [];
  private inFlight = 0;
  /**
   * Partitions with a publish in flight: one at a time each, so a partition's batches reach the
   * stream in the order they were read even across a reconnect (a batch lost with the socket
   * would otherwise be overtaken by later ones the client resends or sends anew).
   */
  private readonly busy = new Set<number>();
  /** A publish failed: nothing more goes out until every publish in flight has settled. */
  private holding = false;
  private seq = 0;
  /** Latest plausible event time (wall clock + MAX_AHEAD_MS), refreshed by the flush timer. */
  private latestTs = Date.now() + MAX_AHEAD_MS;
  /** Events read and not yet durable (open batches, queue, in flight). */
  private pending = 0;
  private draining = false;
  private waiters: Array<() => void> = [];
  private idle: (() => void) | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopping = false;
  /** AgentDeps.published, emptied as its ids are met again (each is skipped once). */
  private published: Set<string> | undefined;
  /** handleLines' stage buffers: records, events and key hashes of up to STAGE_LINES lines. */
  private readonly raws: Array<ParseResult | null> = new Array<ParseResult | null>(STAGE_LINES).fill(null);
  private readonly events: Array<AccessEvent | null> = new Array<AccessEvent | null>(STAGE_LINES).fill(null);
  private readonly keyHashes = new Float64Array(STAGE_LINES);

  constructor(private readonly deps: AgentDeps) {
    const { config } = deps;
    if (!config.key_secret) throw new AgentError('LOWSLOW_AGENT_NO_SECRET');
    this.partitions = config.nats.partitions;
    this.maxBuffered = config.agent.max_buffered_events;
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
      jwtConsumer: config.sanitize.consumer_from_jwt,
    });
    this.batcher = new PartitionBatcher(config.nats.batch_size, (b) => this.enqueue(b), config.nats.batch_max_bytes);
    this.output = new NatsOutput(deps.nc, { gateway: config.source.gateway, host: deps.host });
    this.spool = new DiskSpool(join(stateDirOf(config), 'spool'), config.agent.spool_max_bytes);
    this.published = deps.published !== undefined && deps.published.size > 0 ? deps.published : undefined;
    // What the sanitizer takes from config (gateway, host) is checked once, with the full validator.
    const probe = this.sanitizer.toEvent({ ...PROBE_RECORD }, 'probe');
    if (!validateAccessEvent(probe)) {
      throw new AgentError('LOWSLOW_AGENT_INPUT', `source.gateway or source.host is not a subject token: ${describeError(validateAccessEvent.errors)}`);
    }
  }

  start(): void {
    const { config, log } = this.deps;
    if (this.deps.inputs.length === 0) throw new AgentError('LOWSLOW_AGENT_NO_INPUT');
    this.flushTimer = setInterval(() => {
      this.latestTs = Date.now() + MAX_AHEAD_MS;
      this.batcher.flush();
    }, config.nats.flush_ms);
    this.statsTimer = setInterval(() => log.info({ metrics: this.metrics.snapshot() }, 'agent stats'), 60_000);
    this.statsTimer.unref();
    if (!this.spool.empty) {
      log.warn({ bytes: this.spool.bytes }, 'disk spool holds batches from before; draining them first');
      void this.drainSpool();
    }
    const ctx = this.context();
    this.running = Promise.allSettled(
      this.deps.inputs.map((input) =>
        input.run(ctx).catch((err: unknown) => {
          log.error({ input: input.name, err: (err as Error).message, code: (err as { code?: string }).code }, 'input failed');
          throw err;
        }),
      ),
    );
  }

  /** The seam every input talks to. */
  private context(): InputContext {
    return {
      line: (text, format, stream, offset) => this.handleLine(text, format, stream, offset),
      lineBatch: (texts, offsets, count, format, stream) => this.handleLines(texts, offsets, count, format, stream),
      record: (r, source) => this.handleRecord(r, isRejection(r) ? '' : recordOrigin(r, source)),
      event: (e) => this.handleEvent(e),
      drained: () => this.drained(),
      caughtUp: () => this.batcher.flush(),
      handed: () => this.seq,
      durable: () => this.durableThrough(),
      signal: this.abort.signal,
      log: this.deps.log,
    };
  }

  /** One line in; synchronous so no line waits on I/O between read and batch. */
  handleLine(line: string, format: LineFormat = 'nginx-json', stream?: string, offset?: number): boolean {
    return this.handleRecord(this.parserOf(format)(line, this.parseOptions), line, stream, offset);
  }

  /**
   * Lines in, as handleLine() takes them one by one, but stage by stage: every line is parsed,
   * then every record sanitized, then every event batched. Each stage's code and data stay hot
   * in the processor's caches, which makes a window of lines about 15 % cheaper than line by line.
   */
  handleLines(texts: readonly string[], offsets: readonly number[], count: number, format: LineFormat, stream: string): boolean {
    const parse = this.parserOf(format);
    const raws = this.raws;
    const events = this.events;
    const keyHashes = this.keyHashes;
    for (let start = 0; start < count; start += STAGE_LINES) {
      const n = Math.min(STAGE_LINES, count - start);
      for (let i = 0; i < n; i++) raws[i] = parse(texts[start + i] as string, this.parseOptions);
      for (let i = 0; i < n; i++) {
        const raw = raws[i] as ParseResult;
        events[i] = this.sanitized(raw, texts[start + i] as string, stream, offsets[start + i]);
        keyHashes[i] = this.sanitizer.keyHash;
      }
      for (let i = 0; i < n; i++) this.admit(raws[i] as ParseResult, events[i] as AccessEvent | null, keyHashes[i] as number);
      // Nothing of these lines is kept here past this call.
      raws.fill(null, 0, n);
      events.fill(null, 0, n);
    }
    return this.hasRoom();
  }

  private parserOf(format: LineFormat): (line: string, opts: ParseOptions) => ParseResult {
    const parse = parsers[format];
    if (!parse) throw new AgentError('LOWSLOW_AGENT_INPUT', `no parser for format ${format}`);
    return parse;
  }

  /** `text` (or the position: `stream` and `offset`) derives the event id when the gateway logged none. */
  private handleRecord(raw: ParseResult, text: string, stream?: string, offset?: number): boolean {
    this.admit(raw, this.sanitized(raw, text, stream, offset), this.sanitizer.keyHash);
    return this.hasRoom();
  }

  /** The record's event, or null when it is a rejection or lies too far ahead in time. */
  private sanitized(raw: ParseResult, text: string, stream: string | undefined, offset: number | undefined): AccessEvent | null {
    if (isRejection(raw) || raw.ts > this.latestTs) return null;
    return this.sanitizer.toEvent(raw, text, stream, offset);
  }

  /** Counts the record and batches its event (`keyHash`: the sanitizer's, for its partition). */
  private admit(raw: ParseResult, event: AccessEvent | null, keyHash: number): void {
    const m = this.metrics;
    this.seq++;
    m.linesRead++;
    if (isRejection(raw)) {
      this.reject(raw);
      return;
    }
    if (event === null) {
      this.reject('bad_time');
      return;
    }
    // The sanitizer bounds everything else by construction (sanitize/bounds.ts).
    if (!numbersInContract(event)) {
      this.reject('invalid_event');
      return;
    }
    m.linesParsed++;
    if (this.published !== undefined && this.skipPublished(event.id)) return;
    this.pending++;
    this.batcher.addEvent(partitionOf(event.key_id, event.id, this.partitions, keyHash), event, this.seq);
  }

  /** A pre-built AccessEvent from a gateway plugin: validated, never trusted further than that. */
  handleEvent(e: unknown): boolean {
    this.seq++;
    this.metrics.linesRead++;
    if (!validateAccessEvent(e)) {
      this.reject('invalid_event');
      return this.hasRoom();
    }
    if (e.ts > this.latestTs) {
      this.reject('bad_time');
      return this.hasRoom();
    }
    this.metrics.linesParsed++;
    if (this.published !== undefined && this.skipPublished(e.id)) return this.hasRoom();
    this.pending++;
    this.batcher.add(eventPartition(e.key_id, e.id, this.partitions), e.id, JSON.stringify(e), this.seq);
    return this.hasRoom();
  }

  /** An event already in the stream before a restart: skipped this once, and forgotten. */
  private skipPublished(id: string): boolean {
    const set = this.published as Set<string>;
    if (!set.delete(id)) return false;
    this.metrics.duplicatesSkipped++;
    if (set.size === 0) this.published = undefined;
    return true;
  }

  private reject(reason: RejectReason | 'invalid_event'): void {
    this.metrics.rejected[reason]++;
    const suppressed = this.warning.take();
    if (suppressed >= 0) {
      this.deps.log.warn({ reason, suppressed, rejected_total: this.metrics.rejectedTotal }, 'skipped a malformed log line');
    }
  }

  private hasRoom(): boolean {
    return this.pending < this.maxBuffered;
  }

  private drained(): Promise<void> {
    if (this.pending < this.deps.config.agent.max_buffered_events / 2 || this.abort.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wakeInputs(): void {
    if (this.waiters.length === 0 || this.pending >= this.deps.config.agent.max_buffered_events / 2) return;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** The inputs' own counters and gauges for /metrics. */
  inputMetrics(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const input of this.deps.inputs) Object.assign(out, input.metrics?.snapshot());
    return out;
  }

  /** Gauges for /metrics. */
  gauges(): Record<string, number> {
    return {
      lowslow_agent_events_pending: this.pending,
      lowslow_agent_spool_bytes: this.spool.bytes,
      lowslow_agent_publishes_in_flight: this.inFlight,
    };
  }

  /** Every line up to this sequence number is published or spooled. */
  durableThrough(): number {
    let min = this.batcher.minOpenSeq();
    for (const b of this.outstanding) if (b.minSeq < min) min = b.minSeq;
    return min === Infinity ? this.seq : min - 1;
  }

  /** Stops the inputs, flushes every buffered event, waits for acknowledgements, checkpoints. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    this.wakeInputs();
    for (const w of this.waiters.splice(0)) w();
    await this.running;
    clearInterval(this.flushTimer);
    clearInterval(this.statsTimer);
    this.batcher.flush();
    const drained = new Promise<void>((resolve) => {
      if (this.outstanding.size === 0) resolve();
      else this.idle = resolve;
    });
    const timer = setTimeout(() => this.idle?.(), timeoutMs);
    await drained;
    clearTimeout(timer);
    // Whatever could not be published in time is kept on disk for the next start.
    for (const b of [...this.outstanding]) if (this.spool.append(b)) this.settleDurable(b, 'spooled');
    const durable = this.durableThrough();
    await Promise.all(this.deps.inputs.map((input) => input.checkpoint?.(durable)));
    this.spool.close();
    if (this.outstanding.size > 0) this.deps.log.error({ batches: this.outstanding.size }, 'stopped with events neither published nor spooled (spool full)');
    this.deps.log.info({ metrics: this.metrics.snapshot() }, 'agent stopped');
  }

  private enqueue(batch: Batch): void {
    this.outstanding.add(batch);
    if (this.holding) {
      // Behind the queue, which goes to the spool in order once the publishes in flight settle.
      this.queue.push(batch);
      return;
    }
    if (!this.spool.empty || this.draining) {
      this.toSpool(batch);
      return;
    }
    this.queue.push(batch);
    this.pump();
  }

  private pump(): void {
    if (this.holding) return;
    const max = this.deps.config.nats.max_pending;
    while (this.inFlight < max) {
      const i = this.nextSendable();
      if (i < 0) break;
      const batch = this.queue.splice(i, 1)[0] as Batch;
      this.inFlight++;
      this.busy.add(batch.partition);
      const started = process.hrtime.bigint();
      void this.output.send(batch).then((result) => {
        this.inFlight--;
        this.busy.delete(batch.partition);
        this.metrics.observePublish(Number(process.hrtime.bigint() - started) / 1e6);
        if (result === 'ok') {
          this.metrics.eventsPublished += batch.count;
          this.metrics.batchesPublished++;
          this.settleDurable(batch, 'published');
          this.batcher.recycle(batch);
        } else {
          this.metrics.publishRetries++;
          this.holding = true;
          this.toSpool(batch);
        }
        if (this.holding && this.inFlight === 0) {
          // Every batch sent before the failure has settled (published, or spooled in the order
          // it failed); what waits behind them goes to the spool after them, in order.
          this.holding = false;
          for (const b of this.queue.splice(0)) this.toSpool(b);
        }
        this.pump();
      });
    }
  }

  /** Index of the oldest queued batch whose partition has no publish in flight, or -1. */
  private nextSendable(): number {
    for (let i = 0; i < this.queue.length; i++) if (!this.busy.has((this.queue[i] as Batch).partition)) return i;
    return -1;
  }

  /** A batch that could not be published: to disk, and from now on everything goes behind it. */
  private toSpool(batch: Batch): void {
    if (this.spool.append(batch)) {
      this.metrics.eventsSpooled += batch.count;
      this.settleDurable(batch, 'spooled');
      if (!this.draining) {
        this.deps.log.warn({ err: this.output.lastError, spool_bytes: this.spool.bytes }, 'NATS not answering; spooling batches to disk');
        void this.drainSpool();
      }
      return;
    }
    // Spool full: keep it in memory; inputs stay paused until it drains.
    this.metrics.spoolFull++;
    if (this.metrics.spoolFull === 1 || this.metrics.spoolFull % 100 === 0) {
      this.deps.log.error({ spool_bytes: this.spool.bytes }, 'disk spool full (agent.spool_max_bytes); inputs paused');
    }
    setTimeout(() => this.toSpool(batch), 1000).unref();
  }

  private settleDurable(batch: Batch, _how: 'published' | 'spooled'): void {
    if (!this.outstanding.delete(batch)) return;
    this.pending -= batch.count;
    this.wakeInputs();
    if (this.outstanding.size === 0) this.idle?.();
  }

  /**
   * Sends spooled batches as the live path does: one publish in flight per partition, in spool
   * order within each partition; after a failure nothing more of that partition is sent. The
   * result of a batch never sent is 'retry'.
   */
  private async sendInOrder(batches: SpooledBatch[]): Promise<SendResult[]> {
    const results: SendResult[] = batches.map(() => 'retry');
    const byPartition = new Map<number, number[]>();
    batches.forEach((b, i) => {
      const list = byPartition.get(b.partition);
      if (list) list.push(i);
      else byPartition.set(b.partition, [i]);
    });
    await Promise.all(
      [...byPartition.values()].map(async (indexes) => {
        for (const i of indexes) {
          results[i] = await this.output.send({ ...(batches[i] as SpooledBatch), minSeq: 0 });
          if (results[i] !== 'ok') return;
        }
      }),
    );
    return results;
  }

  /** Publishes spooled batches oldest first until the spool is empty, with the same msgIDs. */
  private async drainSpool(): Promise<void> {
    this.draining = true;
    let failures = 0;
    while (!this.spool.empty) {
      let batches: ReturnType<DiskSpool['peek']>;
      try {
        batches = this.spool.peek(this.deps.config.nats.max_pending);
      } catch (err) {
        // A spool file that cannot be read must not stop the agent; it is reported and retried.
        this.deps.log.error({ err: (err as Error).message }, 'cannot read the disk spool; retrying');
        await new Promise((r) => setTimeout(r, 5_000).unref());
        continue;
      }
      if (batches.length === 0) break;
      const results = await this.sendInOrder(batches);
      // The longest run of published batches from the head is done with; the rest is sent again
      // (JetStream drops the ones it already has by their msgID).
      let done = 0;
      while (done < results.length && results[done] === 'ok') done++;
      if (done > 0) {
        this.spool.ack(done);
        for (const b of batches.slice(0, done)) this.metrics.eventsPublished += b.count;
        this.metrics.batchesPublished += done;
      }
      if (done === batches.length) {
        if (failures > 0) this.deps.log.info({ spool_bytes: this.spool.bytes }, 'NATS answers again; draining the spool');
        failures = 0;
        continue;
      }
      if (this.stopping && results.includes('fatal')) break;
      const delay = DRAIN_BACKOFF_MS[Math.min(failures++, DRAIN_BACKOFF_MS.length - 1)] as number;
      await new Promise((r) => setTimeout(r, delay).unref());
    }
    this.draining = false;
    this.deps.log.info('disk spool drained');
  }
}
