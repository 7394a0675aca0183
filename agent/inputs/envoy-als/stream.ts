/**
 * One StreamAccessLogs call, from Envoy's side a stream that lives as long as its connection.
 * `identifier` arrives in the first message only; later messages carry entries. HTTP entries are
 * handed over one at a time in order; while the pipeline is full the call is paused, which stops
 * gRPC from reading and lets HTTP/2 flow control push back on Envoy (Envoy then buffers up to its
 * `buffer_size_bytes` and drops beyond, as ALS is lossy by design). When the client ends the
 * stream it gets the empty response.
 */
import type { ServerReadableStream, sendUnaryData } from '@grpc/grpc-js';
import type { ParseOptions } from '../../parsers/raw-record.js';
import type { InputContext } from '../input.js';
import { isRequestEnd, mapHttpEntry } from './entry.js';
import type { Gate } from './gate.js';
import type { AlsHttpEntry, StreamAccessLogsMessage } from './messages.js';
import type { EnvoyAlsInputMetrics } from './metrics.js';

export interface StreamDeps {
  ctx: InputContext;
  parse: ParseOptions;
  gate: Gate;
  metrics: EnvoyAlsInputMetrics;
}

export function serveStream(
  call: ServerReadableStream<StreamAccessLogsMessage, Record<string, never>>,
  respond: sendUnaryData<Record<string, never>>,
  deps: StreamDeps,
): void {
  const { ctx, parse, gate, metrics } = deps;
  let pending: AlsHttpEntry[] = [];
  let next = 0;
  let waiting = false;
  let ended = false;
  let closed = false;
  metrics.streamsOpened++;

  const deliver = (): boolean => {
    while (next < pending.length) {
      if (gate.closed) return pause();
      const entry = pending[next++] as AlsHttpEntry;
      if (!isRequestEnd(entry)) {
        metrics.intermediateSkipped++;
        continue;
      }
      metrics.httpEntries++;
      if (!ctx.record(mapHttpEntry(entry, parse), 'envoy-als')) gate.close();
    }
    pending = [];
    next = 0;
    return true;
  };

  const pause = (): false => {
    waiting = true;
    metrics.pauses++;
    call.pause();
    gate.wait(afterDrain);
    return false;
  };

  const afterDrain = (): void => {
    waiting = false;
    // Entries already received are handed over even if the client has gone meanwhile.
    if (!deliver() || closed) return;
    if (ended) finish();
    else call.resume();
  };

  let answered = false;
  const finish = (): void => {
    if (answered) return;
    answered = true;
    respond(null, {});
  };

  call.on('data', (msg: StreamAccessLogsMessage) => {
    metrics.messages++;
    if (msg.identifier != null) {
      ctx.log.debug({ input: 'envoy-als', node: msg.identifier.node?.id ?? '', log_name: msg.identifier.log_name }, 'ALS stream identified');
    }
    if (msg.tcp_logs != null) metrics.tcpSkipped += msg.tcp_logs.log_entry.length;
    const entries = msg.http_logs?.log_entry;
    if (entries === undefined || entries.length === 0) return;
    if (pending.length === 0) pending = entries;
    else for (const e of entries) pending.push(e);
    if (!waiting) deliver();
  });
  // The client is done sending (a half-close, or a reset, which grpc-js also ends the stream with).
  call.on('end', () => {
    ended = true;
    if (!waiting) finish();
  });
  // grpc-js says 'cancelled' whenever the HTTP/2 stream closes, after an answer too: once per stream.
  call.once('cancelled', () => {
    closed = true;
    metrics.streamsClosed++;
  });
  // Errors come with a broken connection; 'cancelled' follows.
  call.on('error', () => undefined);
}
