/**
 * Reads lines from a byte stream (process.stdin, or any Readable in tests) chunk by chunk and hands
 * them over one at a time. When the pipeline answers false the stream is paused, the lines already
 * cut from the current chunk wait in order, and reading goes on after `ctx.drained()`.
 *
 * Deliberately not `for await` over readline with awaits in the loop body: that silently dropped
 * lines here (DESIGN.md, Targets).
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { Input, InputContext } from '../input.js';
import type { StdinInputConfig } from './config.js';
import { LineSplitter } from './line-splitter.js';
import { StdinInputMetrics } from './metrics.js';

export class StdinInput implements Input {
  readonly name = 'stdin';
  readonly metrics = new StdinInputMetrics();

  constructor(
    private readonly config: StdinInputConfig,
    private readonly maxLineBytes: number,
    private readonly stream: Readable,
  ) {}

  address(): string | null {
    return null;
  }

  run(ctx: InputContext): Promise<void> {
    if (ctx.signal.aborted) return Promise.resolve();
    const { stream, metrics } = this;
    const format = this.config.format;
    const splitter = new LineSplitter(this.maxLineBytes);
    const decoder = new StringDecoder('utf8');
    let pending: string[] = [];
    let next = 0;
    let waiting = false;
    let ended = false;

    return new Promise<void>((resolve) => {
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        stream.off('data', onData);
        stream.off('end', onEnd);
        stream.off('error', onError);
        ctx.signal.removeEventListener('abort', finish);
        if (!ended) stream.pause();
        // Nothing more is coming: the open batches need not wait for the flush timer.
        else ctx.caughtUp?.();
        ctx.log.info({ input: this.name, metrics: metrics.snapshot() }, ended ? 'stdin input reached end of input' : 'stdin input stopped');
        resolve();
      };

      /** Hands pending lines over; false when the pipeline asked to pause. */
      const deliver = (): boolean => {
        while (next < pending.length) {
          const line = pending[next++] as string;
          metrics.lines++;
          if (!ctx.line(line, format) && (next < pending.length || !ended)) {
            waiting = true;
            metrics.pauses++;
            stream.pause();
            void ctx.drained().then(afterDrain);
            return false;
          }
        }
        pending = [];
        next = 0;
        return true;
      };

      const afterDrain = (): void => {
        waiting = false;
        if (done || !deliver()) return;
        if (ended) finish();
        else stream.resume();
      };

      const take = (lines: string[]): void => {
        if (pending.length === 0) pending = lines;
        else for (const l of lines) pending.push(l);
      };

      function onData(chunk: Buffer | string): void {
        take(splitter.push(typeof chunk === 'string' ? chunk : decoder.write(chunk)));
        metrics.oversize = splitter.oversize;
        // A chunk that slipped in after pause() waits behind the pending lines.
        if (!waiting) deliver();
      }
      function onEnd(): void {
        ended = true;
        const tail = decoder.end();
        if (tail.length > 0) take(splitter.push(tail));
        take(splitter.end());
        metrics.oversize = splitter.oversize;
        if (!waiting && deliver()) finish();
      }
      const onError = (err: Error): void => {
        ctx.log.warn({ input: this.name, err: err.message }, 'stdin input read error; treating it as end of input');
        ended = true;
        finish();
      };

      stream.on('data', onData);
      stream.once('end', onEnd);
      stream.once('error', onError);
      ctx.signal.addEventListener('abort', finish, { once: true });
      stream.resume();
    });
  }
}
