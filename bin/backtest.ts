/**
 * `lowslow backtest`: the same events through two detectors side by side in one process, the
 * running config ("current") and a candidate, each with its own in-memory profiles and alerts.
 * Events are cut into the same per-partition batches whichever source they come from, and event
 * time drives both detectors, so a backtest gives the same report every time, from log files or
 * from JetStream alike. Profiles start empty: events from `warmupMs` before `from` are read so that
 * keys have a history (and the learning period is over) when the compared period begins.
 */
import type { Logger } from 'pino';
import { partitionOf, type AccessEvent, type Alert, type Config } from '../contracts/index.js';
import { MemoryAlertStore } from '../detector/alerts/memory-alert-store.js';
import { CallbackAlertPublisher } from '../detector/alerts/publish.js';
import { Detector } from '../detector/pipeline.js';
import { MemoryProfileStore } from '../detector/profiles/memory-store.js';
import type { ModelSnapshot } from '../detector/score/population-model.js';
import type { Candidate, CandidateModel } from './backtest-candidate.js';
import { compareSides, type BacktestReport, type SideRun } from './backtest-report.js';
import type { EventSource } from './backtest-sources.js';

export interface BacktestOptions {
  current: Config;
  candidate: Candidate;
  source: EventSource;
  /** The compared period, event time ms: [from, to); null: open. */
  from: number | null;
  to: number | null;
  /** Events read before `from` to build profiles. */
  warmupMs: number;
  /** Alerts with verdicts (any period; those overlapping it count). */
  labels: Alert[];
  /** Where the labels came from, for the report. */
  labelSource: string;
  /**
   * The live detector's model snapshots by partition (JSON, as stored in Redis): both sides start
   * from them and keep them (the candidate unless it brings its own model).
   */
  storedModels?: Map<number, string> | null;
  log: Logger;
}

/** A snapshot that is never due for retraining: a model given stays for the whole backtest. */
function kept(snapshot: ModelSnapshot): string {
  return JSON.stringify({ ...snapshot, trained_at: Number.MAX_SAFE_INTEGER });
}

async function buildSide(name: SideRun['name'], config: Config, model: CandidateModel | null, stored: Map<number, string> | null, log: Logger) {
  const store = new MemoryProfileStore();
  const alerts = new MemoryAlertStore();
  const partitions = [...Array(config.nats.partitions).keys()];
  const seeds = new Map<number, string>();
  if (model?.snapshot) for (const p of partitions) seeds.set(p, kept(model.snapshot));
  else if (!model && stored) for (const [p, json] of stored) seeds.set(p, kept(JSON.parse(json) as ModelSnapshot));
  for (const [p, json] of seeds) await store.save(p, [], null, { model: json });
  const detector = new Detector({
    config,
    store,
    alerts,
    publisher: new CallbackAlertPublisher(() => undefined),
    log,
    ...(model?.kind === 'forest' ? { forest: model.forest } : {}),
  });
  if (seeds.size > 0) await detector.init([...seeds.keys()]);
  const describe = model
    ? `${model.kind} ${model.file} (${model.version}), kept`
    : seeds.size > 0
      ? `stored models of ${seeds.size} partition(s), kept`
      : `fitted from the events (${config.detection.model_trees} trees, ψ ${config.detection.model_sample_size})`;
  return { name, config, detector, alerts, model: describe };
}

export async function backtest(o: BacktestOptions): Promise<BacktestReport> {
  const log = o.log;
  const stored = o.storedModels ?? null;
  const sides = [await buildSide('current', o.current, null, stored, log), await buildSide('candidate', o.candidate.config, o.candidate.model, stored, log)];
  const partitions = o.current.nats.partitions;
  const batchSize = o.current.nats.batch_size;
  const readFrom = o.from === null ? -Infinity : o.from - o.warmupMs;
  const to = o.to ?? Infinity;
  const batches = new Map<number, AccessEvent[]>();
  const events = { read: 0, used: 0, warmup: 0, outside: 0 };
  const from = o.from ?? -Infinity;

  const flush = async (p: number, batch: AccessEvent[]) => {
    batches.delete(p);
    for (const s of sides) await s.detector.ingest(p, batch);
  };
  await o.source.forEach(
    async (e) => {
      events.read++;
      if (e.ts < readFrom || e.ts >= to) {
        events.outside++;
        return;
      }
      events.used++;
      if (e.ts < from) events.warmup++;
      const p = partitionOf(e.key_id, partitions);
      let b = batches.get(p);
      if (!b) batches.set(p, (b = []));
      b.push(e);
      if (b.length >= batchSize) await flush(p, b);
    },
    o.from === null ? null : readFrom,
  );
  for (const p of [...batches.keys()].sort((a, b) => a - b)) await flush(p, batches.get(p) as AccessEvent[]);
  for (const s of sides) await s.detector.finish();

  const runs: SideRun[] = sides.map((s) => ({ name: s.name, config: s.config, model: s.model, windows: s.detector.metrics.windowsClosed, alerts: s.alerts.all() }));
  return compareSides({
    from: o.from,
    to: o.to,
    warmupMs: o.warmupMs,
    source: o.source.info(),
    events,
    candidateFile: o.candidate.file,
    changed: o.candidate.changed,
    labels: o.labels,
    labelSource: o.labelSource,
    current: runs[0] as SideRun,
    candidate: runs[1] as SideRun,
  });
}
