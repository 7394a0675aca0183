/**
 * `lowslow backtest --model FILE [--from T] [--to T] [FILE...]`: reads the events (log files given,
 * else the JetStream history), the verdicts (`--labels`), and the live models (`--stored-models`),
 * runs bin/backtest.ts and prints the report (text, or JSON with --json). Exit 2 for bad arguments.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { validateAlert, type Alert, type Config } from '../contracts/index.js';
import { RedisAlertStore } from '../detector/alerts/redis-alert-store.js';
import { RedisProfileStore } from '../detector/profiles/redis-store.js';
import { backtest } from './backtest.js';
import { loadCandidate } from './backtest-candidate.js';
import { formatReport } from './backtest-report.js';
import { jetStreamSource, logSource, type EventSource } from './backtest-sources.js';
import { connectNats } from './connect.js';
import { connectRedis } from './connect-redis.js';
import { BacktestError } from './errors.js';

export interface BacktestArgs {
  model?: string;
  from?: string;
  to?: string;
  warmup?: string;
  /** `redis`, `none` or a file of Alert v1 JSON lines. @default redis for JetStream, none for log files */
  labels?: string;
  storedModels?: boolean;
  json?: boolean;
  files: string[];
}

/** ms since epoch or an ISO 8601 date. */
export function parseTime(s: string, option: string): number {
  const t = /^[0-9]{1,15}$/.test(s) ? Number(s) : Date.parse(s);
  if (!Number.isFinite(t)) throw new BacktestError('LOWSLOW_BACKTEST_RANGE', `${option}: not ms since epoch or an ISO 8601 date`);
  return t;
}

/** Alert v1 JSON lines (as --alerts-out writes them) or pages of GET /v1/alerts (`{"alerts": [...]}`) per line. */
export function readLabels(file: string): Alert[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new BacktestError('LOWSLOW_BACKTEST_LABELS', `${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
  }
  const out: Alert[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch {
      throw new BacktestError('LOWSLOW_BACKTEST_LABELS', `${file}:${i + 1}: not JSON`);
    }
    const page = data !== null && typeof data === 'object' && !Array.isArray(data) && 'alerts' in data ? (data as { alerts: unknown }).alerts : [data];
    for (const a of Array.isArray(page) ? page : [page]) {
      if (!validateAlert(a)) throw new BacktestError('LOWSLOW_BACKTEST_LABELS', `${file}:${i + 1}: not an Alert v1 (${validateAlert.errors?.[0]?.instancePath || '/'} ${validateAlert.errors?.[0]?.message ?? ''})`);
      if (a.feedback) out.push(a);
    }
  });
  return out;
}

async function redisLabels(store: RedisAlertStore, from: number | null): Promise<Alert[]> {
  const out: Alert[] = [];
  let after = null;
  do {
    const page = await store.list(from === null ? {} : { from }, 500, after);
    for (const a of page.alerts) if (a.feedback) out.push(a);
    after = page.next;
  } while (after !== null);
  return out;
}

export async function runBacktest(config: Config, args: BacktestArgs, log: Logger, signal: AbortSignal): Promise<number> {
  const fail = (err: unknown) => {
    process.stderr.write(`lowslow: backtest: ${(err as Error).message}\n`);
    return 2;
  };
  if (args.model === undefined) return fail(new Error('needs --model FILE: a candidate (detection settings and/or a model) to compare with the running config'));
  let candidate, from: number | null, to: number | null, warmupMs: number;
  try {
    candidate = loadCandidate(args.model, config);
    from = args.from === undefined ? null : parseTime(args.from, '--from');
    to = args.to === undefined ? null : parseTime(args.to, '--to');
    if (from !== null && to !== null && from >= to) throw new BacktestError('LOWSLOW_BACKTEST_RANGE', '--from must be before --to');
    const hours = args.warmup === undefined ? Math.max(config.detection.learning_hours, candidate.config.detection.learning_hours) : Number(args.warmup);
    if (!Number.isFinite(hours) || hours < 0) throw new BacktestError('LOWSLOW_BACKTEST_RANGE', '--warmup: hours, a number >= 0');
    warmupMs = from === null ? 0 : hours * 3_600_000;
  } catch (err) {
    if (err instanceof BacktestError || (err as { code?: string }).code?.startsWith('LOWSLOW_MODEL_')) return fail(err);
    throw err;
  }
  const labelsFrom = args.labels ?? (args.files.length > 0 ? 'none' : 'redis');
  let labels: Alert[] = [];
  if (labelsFrom !== 'none' && labelsFrom !== 'redis') {
    try {
      labels = readLabels(labelsFrom);
    } catch (err) {
      return fail(err);
    }
  }
  if (args.files.length > 0 && !config.key_secret) {
    log.warn('no key_secret (LOWSLOW_KEY_SECRET): key_ids come from a random secret and match no verdict or live key');
  }
  const redis = labelsFrom === 'redis' || args.storedModels ? await connectRedis(config.redis, log, signal) : null;
  const nc = args.files.length === 0 ? await connectNats(config.nats, log, signal, 'lowslow-backtest') : null;
  try {
    if (redis && labelsFrom === 'redis') labels = await redisLabels(new RedisAlertStore(redis, config.redis.prefix), from === null ? null : from - warmupMs);
    let storedModels: Map<number, string> | null = null;
    if (redis && args.storedModels) {
      const profiles = new RedisProfileStore(redis, config.redis.prefix);
      storedModels = new Map();
      for (let p = 0; p < config.nats.partitions; p++) {
        const m = (await profiles.loadPartition(p)).model;
        if (m !== null) storedModels.set(p, m);
      }
      if (storedModels.size === 0) log.warn('--stored-models: no partition has a stored model yet; both sides fit their own');
    }
    const source: EventSource = nc ? jetStreamSource(nc, config) : logSource(args.files, config);
    const report = await backtest({ current: config, candidate, source, from, to, warmupMs, labels, labelSource: labelsFrom, storedModels, log });
    process.stdout.write(args.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof BacktestError) return fail(err);
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return fail(new Error(`${e.path ?? 'file'}: no such file`));
    throw err;
  } finally {
    redis?.disconnect();
    await nc?.close();
  }
}
