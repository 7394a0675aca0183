/**
 * `lowslow replay FILE...`: the whole pipeline in one process. Lines go through the agent's parser
 * and sanitizer, an in-memory bus hands per-partition batches to the detector, profiles and alerts
 * live in memory. Event time drives every window, so the alerts are those live operation raises.
 */
import { createReadStream, createWriteStream, statSync, type WriteStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { Logger } from 'pino';
import { partitionOf, validateAccessEvent, type AccessEvent, type Alert, type Config } from '../contracts/index.js';
import { isRejection, parsers } from '../agent/parsers/index.js';
import { Sanitizer } from '../agent/sanitize/index.js';
import type { KeyRiskStore } from '../detector/alerts/key-risk-store.js';
import { MemoryAlertStore } from '../detector/alerts/memory-alert-store.js';
import { CallbackAlertPublisher } from '../detector/alerts/publish.js';
import { Detector } from '../detector/pipeline.js';
import { MemoryProfileStore } from '../detector/profiles/memory-store.js';
import type { ReportSample } from '../detector/ui/report/collect.js';

export interface ReplayOptions {
  files: string[];
  config: Config;
  log: Logger;
  /** Called for each alert raised or raised in severity, in order. */
  onAlert: (alert: Alert) => void;
  /** Stores to keep after the run (the report and the dashboard tests read them); new ones by default. */
  stores?: { profiles?: MemoryProfileStore; alerts?: MemoryAlertStore; risk?: KeyRiskStore };
  /** Called a few times a second with how far the run is. */
  onProgress?: (p: ReplayProgress) => void;
  /** Read the files a second time to find the alerts' sample events (summary.samples). @default false */
  sampleEvents?: boolean;
}

export interface ReplayProgress {
  lines: number;
  /** Bytes read from the files as stored (compressed for .gz). */
  bytes: number;
  totalBytes: number;
  seconds: number;
}

/** A sample event of an alert, as the report shows it. */
export type SampleEvent = ReportSample;

export interface ReplaySummary {
  lines: number;
  events: number;
  rejected: Record<string, number>;
  keys: number;
  windows: number;
  alerts: Alert[];
  seconds: number;
  /** With sampleEvents: the alerts' sample events found in the files. */
  samples?: SampleEvent[];
}

const PROGRESS_EVERY_MS = 250;

/**
 * The agent's parser (inputs.file.format) and sanitizer as replay runs them: a log line becomes an
 * AccessEvent, or the reason it was rejected. Without key_secret a random secret is drawn, once
 * per reader.
 */
export function lineReader(config: Config): (line: string) => AccessEvent | string {
  const parse = parsers[config.inputs.file.format];
  if (!parse) throw new Error(`unknown format ${config.inputs.file.format}`);
  const sanitizer = new Sanitizer({
    secret: config.key_secret ?? randomBytes(32).toString('hex'),
    gateway: config.source.gateway,
    host: config.source.host || 'replay',
    keyParams: config.sanitize.key_params,
    rawParams: config.sanitize.raw_params,
    truncateIp: config.sanitize.truncate_ip,
    jwtConsumer: config.sanitize.consumer_from_jwt,
  });
  const parseOptions = {
    maxLineBytes: config.inputs.max_line_bytes,
    keyHeaders: config.sanitize.key_headers,
    bearer: config.sanitize.bearer,
  };
  return (line) => {
    const raw = parse(line, parseOptions);
    if (isRejection(raw)) return raw;
    const e = sanitizer.toEvent(raw, line);
    return validateAccessEvent(e) ? e : 'invalid_event';
  };
}

export async function replay(o: ReplayOptions): Promise<ReplaySummary> {
  const { config } = o;
  const started = process.hrtime.bigint();
  const read = lineReader(config);
  const store = o.stores?.profiles ?? new MemoryProfileStore();
  const alerts = o.stores?.alerts ?? new MemoryAlertStore();
  const detector = new Detector({
    config,
    store,
    alerts,
    publisher: new CallbackAlertPublisher(o.onAlert),
    log: o.log,
    ...(o.stores?.risk ? { risk: o.stores.risk } : {}),
  });
  const partitions = config.nats.partitions;
  const batchSize = config.nats.batch_size;
  const batches = new Map<number, AccessEvent[]>();
  const rejected: Record<string, number> = {};
  let lines = 0;
  let events = 0;

  const flush = async (p: number, batch: AccessEvent[]) => {
    batches.delete(p);
    await detector.ingest(p, batch);
  };
  const onLine = async (line: string) => {
    lines++;
    const e = read(line);
    if (typeof e === 'string') {
      rejected[e] = (rejected[e] ?? 0) + 1;
      return;
    }
    events++;
    const p = partitionOf(e.key_id, partitions);
    let b = batches.get(p);
    if (!b) batches.set(p, (b = []));
    b.push(e);
    if (b.length >= batchSize) await flush(p, b);
  };

  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  const progress = o.onProgress;
  const totalBytes = progress ? o.files.reduce((n, f) => n + statSync(f).size, 0) : 0;
  let doneBytes = 0;
  let lastReport = 0;
  for (const file of o.files) {
    await forEachLine(file, onLine, progress ? (read) => {
      const now = Date.now();
      if (now - lastReport < PROGRESS_EVERY_MS) return;
      lastReport = now;
      progress({ lines, bytes: doneBytes + read, totalBytes, seconds: elapsed() });
    } : undefined);
    if (progress) doneBytes += statSync(file).size;
  }
  progress?.({ lines, bytes: totalBytes, totalBytes, seconds: elapsed() });
  for (const [p, b] of [...batches]) await flush(p, b);
  await detector.finish();
  const m = detector.metrics;
  const found = alerts.all().sort((a, b) => a.window.start - b.window.start);
  const summary: ReplaySummary = { lines, events, rejected, keys: store.size, windows: m.windowsClosed, alerts: found, seconds: elapsed() };
  if (o.sampleEvents && found.length > 0) {
    // A second pass: the detector keeps only the samples' ids, and the report wants the events.
    const wanted = new Set(found.flatMap((a) => a.evidence.sample_event_ids));
    const samples: SampleEvent[] = [];
    const onSampleLine = async (line: string) => {
      const e = read(line);
      if (typeof e === 'string' || !wanted.delete(e.id)) return;
      const r = e.request;
      samples.push({ id: e.id, ts: e.ts, method: r.method, route: r.route, status: e.response.status, ip: e.client.ip, bytes: e.response.bytes });
    };
    for (const file of o.files) if (wanted.size > 0) await forEachLine(file, onSampleLine);
    summary.samples = samples;
  }
  return summary;
}

/**
 * Reads a file (gzip when it ends in .gz) line by line. Iterating the stream's chunks, not
 * readline, keeps every line even when the handler awaits.
 */
export async function forEachLine(file: string, onLine: (line: string) => Promise<void>, onChunk?: (bytesRead: number) => void): Promise<void> {
  const input = createReadStream(file);
  const stream = file.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  input.on('error', (err) => stream.destroy(err));
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = rest + decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      await onLine(text.slice(start, end));
      start = nl + 1;
    }
    rest = text.slice(start);
    onChunk?.(input.bytesRead);
  }
  rest += decoder.end();
  if (rest !== '') await onLine(rest);
}

export function openAlertsOut(path: string | undefined): WriteStream | null {
  return path === undefined ? null : createWriteStream(path, { flags: 'w' });
}
