/**
 * The contract between inputs and the agent pipeline.
 *
 * Obligations of an input:
 * - `run(ctx)` resolves when `ctx.signal` aborts (after releasing its sockets/files), never before
 *   unless it failed to start, in which case it rejects with an AgentError naming the option.
 * - It never retries by itself beyond its protocol's own handling, never buffers without bound and
 *   never owns the queue: it hands each line or record to the context synchronously.
 * - When `ctx.line()` / `ctx.record()` answer false the pipeline is full: stop reading (pause the
 *   stream, stop acknowledging, answer 503/429) and wait for `ctx.drained()` before going on.
 * - It never logs line content, headers or bodies (they may hold secrets).
 */
import type { Logger } from 'pino';
import type { LineFormat } from '../../contracts/index.js';
import type { ParseResult } from '../parsers/index.js';

export interface InputContext {
  /**
   * One text line in the given format; false: the pipeline wants the input to pause.
   * `stream` and `offset` (optional) name the line's position, e.g. `inode:generation` and its
   * byte offset, for a stable event id.
   */
  line(text: string, format: LineFormat, stream?: string, offset?: number): boolean;
  /**
   * `count` lines of one format at once, in order, `texts[i]` at byte `offsets[i]` of `stream`
   * (the file input's); the same as `line()` for each, cheaper. The arrays are not kept.
   */
  lineBatch(texts: readonly string[], offsets: readonly number[], count: number, format: LineFormat, stream: string): boolean;
  /** One request already structured by the input (Envoy ALS, Kong objects), or its rejection. */
  record(r: ParseResult, source: string): boolean;
  /**
   * An AccessEvent built and sanitized at the gateway by one of our plugins (Kong, njs): checked
   * against the contract and published as it is; anything else is rejected as invalid_event.
   */
  event(e: unknown): boolean;
  /** Resolves when the pipeline has room again. */
  drained(): Promise<void>;
  /**
   * Optional: the input has read all there was for now (a file read to its end after a backlog,
   * stdin at its end), so the open batches are published now instead of waiting for nats.flush_ms.
   */
  caughtUp?(): void;
  /** Sequence number of the last line or record handed over (0 before the first). */
  handed(): number;
  /** Every line or record up to this sequence number is published or spooled. */
  durable(): number;
  signal: AbortSignal;
  log: Logger;
}

export interface Input {
  /** Short name for logs and metrics, e.g. `syslog`. */
  readonly name: string;
  run(ctx: InputContext): Promise<void>;
  /** Where it listens, once started (for logs and tests), e.g. `udp://127.0.0.1:5140`. */
  address?(): string | null;
  /** Inputs that can resume: store positions that are durable now (called after a drain on stop); resolves once stored. */
  checkpoint?(durable: number): Promise<void> | void;
  /** Inputs that resume after a restart: wall-clock ms from which the stream may hold what they re-read. */
  resumeSince?(): number | null;
  /** The input's own counters for /metrics (`lowslow_<input>_input_*`; names ending in `_total` are counters, the rest gauges). */
  readonly metrics?: { snapshot(): Record<string, number> };
}
