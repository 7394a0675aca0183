/**
 * The detector's spine: events of a partition → per-key windows (profiles from the store) →
 * features → score → alert decision → publish; then the touched states and the partition
 * checkpoint are saved together. Replay and live call the same methods; only the clock differs.
 */
import type { Logger } from 'pino';
import { partitionOf, type AccessEvent, type Alert, type Config } from '../contracts/index.js';
import { AlertDecider, type ClosedWindow } from './alerts/decide.js';
import { CampaignTracker, summarise } from './campaigns/index.js';
import type { AlertStore } from './alerts/alert-store.js';
import type { AlertPublisher } from './alerts/publish.js';
import type { KeyRiskStore } from './alerts/key-risk-store.js';
import type { Suppressions } from './alerts/suppressions.js';
import type { Calibrator } from './alerts/calibrator.js';
import type { IsolationForest } from './model/index.js';
import { scoreWindow } from './alerts/score.js';
import { foldWindow } from './features/fold.js';
import { foldPopulation, newPopulation, type Population } from './features/population.js';
import { computeFeatures } from './features/vector.js';
import { learnPopulationShapes } from './features/shape-set.js';
import { addEvent, openWindow, sealState } from './features/window.js';
import { newProfile, upgradeState, type KeyState } from './profiles/key-state.js';
import type { PartitionExtras, ProfileStore } from './profiles/store.js';
import { DetectorMetrics, RecentIds } from './metrics.js';
import { featureRow } from './score/feature-row.js';
import { PopulationModel, type ModelSnapshot, type PopulationModelOptions } from './score/population-model.js';

export const MODEL_VERSION = 'rules-1';
/**
 * Novelty, volume and hour features are what a population-wide change moves on every key at
 * once (a new endpoint, a client upgrade, a busy season): when they carry the score, the
 * population model decides. Enumeration, paging range and error bursts stay the rules' call:
 * honest windows never vary along them, so a forest has nothing to split them on.
 */
const DRIFT_PRONE = new Set(['new_route_share', 'new_agent_share', 'new_network_share', 'off_hours', 'requests', 'distinct_objects']);

function driftProne(contributions: Partial<Record<string, number>>): boolean {
  let top = '';
  let max = 0;
  for (const [f, x] of Object.entries(contributions)) if ((x as number) > max) [top, max] = [f, x as number];
  return DRIFT_PRONE.has(top);
}

/** A partition still without events once the others are this far past their first event holds the campaign stage back no longer. */
const EMPTY_PARTITION_MS = 7 * 86_400_000;
/** Closed windows kept per partition for training its Isolation Forest. */
const MODEL_ROWS = 20_000;
/** Rows of windows that alerted, held per partition until a verdict may return them to training. */
const HELD_ROWS = 5_000;

export interface DetectorDeps {
  config: Config;
  store: ProfileStore;
  alerts: AlertStore;
  publisher: AlertPublisher;
  log: Logger;
  /** Called for every alert raised or raised in severity. */
  onAlert?: (alert: Alert) => void;
  /** Receives every closed window's score (GET /v1/keys). */
  risk?: KeyRiskStore;
  /** False-positive verdicts that hold back new alerts. */
  suppressions?: Suppressions;
  /** Thresholds moved by verdicts (per key and kind); none: detection.threshold for every key. */
  calibration?: Calibrator;
  /** One fixed Isolation Forest for every partition instead of fitted ones (lowslow backtest --model). */
  forest?: IsolationForest;
}

interface PartitionState {
  watermark: number;
  /** Highest stream sequence applied. */
  seq: number;
  /** The checkpoint's sequence when this process loaded the partition. */
  loadedSeq: number;
  open: Set<string>;
  recent: RecentIds;
  /** Population baselines and Isolation Forest of this partition (the same whoever owns it). */
  population: Population;
  model: PopulationModel;
  /** Partition-wide changes to store with the next save. */
  extras: { rows: string[]; population: boolean; model: string | null };
  /** Feature rows of windows that alerted, by `<key_id>|<window start>`, oldest first (bounded). */
  held: Map<string, Float64Array>;
  /** Smallest window end among open windows (a hint: never later than the true minimum). */
  nextDue: number;
}

export class Detector {
  readonly metrics = new DetectorMetrics();
  /** Long memory and campaigns across the owned partitions (null when detection.campaigns is off). */
  readonly campaigns: CampaignTracker | null;
  private campaignsLoaded = false;
  /** Partitions the campaign stage waits for: those the first init() was given; null (every partition) in replay. */
  private owned: number[] | null = null;
  private readonly cache = new Map<string, KeyState>();
  private readonly partitions = new Map<number, PartitionState>();
  private readonly decider: AlertDecider;
  private saves = 0;
  private readonly windowMs: number;
  private readonly latenessMs: number;
  private readonly halfLifeMs: number;
  private readonly learningMs: number;
  private readonly modelOptions: PopulationModelOptions;

  constructor(private readonly deps: DetectorDeps) {
    const d = deps.config.detection;
    this.windowMs = d.window_minutes * 60_000;
    this.latenessMs = d.lateness_seconds * 1000;
    this.halfLifeMs = d.half_life_days * 86_400_000;
    this.learningMs = d.learning_hours * 3_600_000;
    this.modelOptions = { minRows: d.model_min_windows, maxRows: MODEL_ROWS, retrainMs: d.retrain_hours * 3_600_000, quantile: d.model_quantile, seed: 1, trees: d.model_trees, sampleSize: d.model_sample_size, forest: deps.forest };
    this.decider = new AlertDecider(deps.alerts, deps.publisher, {
      threshold: d.threshold,
      modelVersion: MODEL_VERSION,
      risk: deps.risk,
      suppressions: deps.suppressions,
      metrics: this.metrics,
      calibration: deps.calibration,
    });
    this.campaigns = d.campaigns
      ? new CampaignTracker({ config: deps.config, store: deps.store, alerts: deps.alerts, publisher: deps.publisher, log: deps.log, modelVersion: MODEL_VERSION, suppressions: deps.suppressions })
      : null;
  }

  /** Loads checkpoints, population and open windows of the owned partitions. */
  async init(partitions: number[]): Promise<void> {
    for (const p of partitions) {
      const cp = await this.deps.store.checkpoint(p);
      const keys = await this.deps.store.openKeys(p);
      const loaded = await this.deps.store.load(keys);
      const st = this.newPartition(cp?.watermark ?? 0, cp?.seq ?? 0);
      const stored = await this.deps.store.loadPartition(p);
      if (stored.population !== null) st.population = JSON.parse(stored.population) as Population;
      for (const r of stored.rows) st.model.observe(Float64Array.from(JSON.parse(r) as number[]));
      if (stored.model !== null) st.model.load(JSON.parse(stored.model) as ModelSnapshot);
      for (const [id, s] of loaded) {
        this.cache.set(id, upgradeState(s));
        if (s.window) {
          st.open.add(id);
          st.nextDue = Math.min(st.nextDue, s.window.end);
        }
      }
      this.partitions.set(p, st);
    }
    if (this.campaigns && !this.campaignsLoaded) {
      this.campaignsLoaded = true;
      this.owned = [...partitions];
      await this.campaigns.load(`campaigns:${[...partitions].sort((a, b) => a - b).join(',')}`);
    }
  }

  private newPartition(watermark: number, seq: number): PartitionState {
    return {
      watermark,
      seq,
      loadedSeq: seq,
      open: new Set(),
      recent: new RecentIds(),
      nextDue: Infinity,
      population: newPopulation(),
      model: new PopulationModel(this.modelOptions),
      extras: { rows: [], population: false, model: null },
      held: new Map(),
    };
  }

  /**
   * Forgets everything held in memory for a partition and reloads it from the store: after a
   * failed batch, memory may be ahead of the store, and the batch is applied again on top.
   */
  async resetPartition(partition: number, partitionOfKey: (keyId: string) => number): Promise<void> {
    for (const id of [...this.cache.keys()]) if (partitionOfKey(id) === partition) this.cache.delete(id);
    this.partitions.delete(partition);
    await this.init([partition]);
  }

  /** Last stream sequence applied for a partition (0 when none). */
  appliedSeq(partition: number): number {
    return this.partitions.get(partition)?.seq ?? 0;
  }

  /**
   * Applies a batch of events of one partition. `seq` is the JetStream stream sequence of the
   * message (live). A message at or below the checkpoint this process started from was applied
   * already and is skipped. One below the highest applied since then is a redelivery of a message
   * that was lost on its way here (a dropped connection): it is applied, and the event ids drop
   * whatever of it had been counted.
   */
  async ingest(partition: number, events: AccessEvent[], seq?: number): Promise<void> {
    const ps = this.partition(partition);
    if (seq !== undefined && seq <= ps.loadedSeq) {
      this.metrics.redeliveriesSkipped++;
      return;
    }
    if (seq !== undefined && seq <= ps.seq) this.metrics.redeliveriesApplied++;
    await this.loadKeys(events);
    const dirty = new Set<KeyState>();
    const closed: ClosedWindow[] = [];
    const m = this.metrics;
    for (const e of events) {
      m.eventsIn++;
      if (e.key_id === null) {
        m.unkeyed++;
        continue;
      }
      if (!ps.recent.add(e.id)) {
        m.duplicates++;
        continue;
      }
      if (ps.population.first_event === 0) ps.population.first_event = e.ts;
      if (e.ts > ps.watermark) ps.watermark = e.ts;
      let st = this.cache.get(e.key_id);
      if (!st) {
        st = { key_id: e.key_id, profile: newProfile(e.ts), window: null };
        this.cache.set(e.key_id, st);
      }
      let w = st.window;
      if (w !== null && e.ts >= w.end) {
        closed.push(this.close(st, e.ts, ps));
        w = null;
      }
      if (w === null) {
        // Past the allowed lateness and the key has no window open: its window closed already,
        // and opening it again would fold that period (and alert on it) a second time.
        if (e.ts < ps.watermark - this.latenessMs) {
          m.late++;
          continue;
        }
        w = openWindow(e.ts, this.windowMs, e.source.gateway);
        st.window = w;
        ps.open.add(st.key_id);
        if (w.end < ps.nextDue) ps.nextDue = w.end;
      } else if (e.ts < w.start) {
        m.late++;
        continue;
      }
      addEvent(w, st.profile, e, ps.population);
      m.eventsScored++;
      dirty.add(st);
    }
    this.closeDue(ps, ps.watermark - this.latenessMs, closed, dirty);
    if (seq !== undefined && seq > ps.seq) ps.seq = seq;
    await this.decide(closed);
    await this.campaignsDue();
    await this.save(partition, ps, dirty);
  }

  /** Live mode: event time moves on with the wall clock while a partition is quiet. */
  async advance(partition: number, eventTime: number): Promise<void> {
    const ps = this.partition(partition);
    if (eventTime <= ps.watermark) return;
    ps.watermark = eventTime;
    const closed: ClosedWindow[] = [];
    const dirty = new Set<KeyState>();
    this.closeDue(ps, eventTime - this.latenessMs, closed, dirty);
    await this.decide(closed);
    await this.campaignsDue();
    if (dirty.size > 0) await this.save(partition, ps, dirty);
  }

  /** End of a replay: every open window closes. */
  async finish(): Promise<void> {
    for (const [p, ps] of this.partitions) {
      const closed: ClosedWindow[] = [];
      const dirty = new Set<KeyState>();
      this.closeDue(ps, Infinity, closed, dirty);
      await this.decide(closed);
      await this.save(p, ps, dirty);
    }
    await this.campaignsDue(Infinity);
  }

  watermark(partition: number): number {
    return this.partitions.get(partition)?.watermark ?? 0;
  }

  private partition(p: number): PartitionState {
    let ps = this.partitions.get(p);
    if (!ps) {
      ps = this.newPartition(0, 0);
      this.partitions.set(p, ps);
    }
    return ps;
  }

  private async loadKeys(events: AccessEvent[]): Promise<void> {
    const missing = new Set<string>();
    for (const e of events) if (e.key_id !== null && !this.cache.has(e.key_id)) missing.add(e.key_id);
    if (missing.size === 0) return;
    const loaded = await this.deps.store.load([...missing]);
    for (const [id, s] of loaded) this.cache.set(id, upgradeState(s));
  }

  private closeDue(ps: PartitionState, limit: number, closed: ClosedWindow[], dirty: Set<KeyState>): void {
    if (limit < ps.nextDue) return;
    let next = Infinity;
    for (const id of ps.open) {
      const st = this.cache.get(id);
      const w = st?.window;
      if (!st || !w) {
        ps.open.delete(id);
        continue;
      }
      if (w.end <= limit) {
        closed.push(this.close(st, Math.min(limit + this.latenessMs, Math.max(w.end, ps.watermark)), ps));
        dirty.add(st);
      } else if (w.end < next) next = w.end;
    }
    ps.nextDue = next;
  }

  /**
   * Scores the key's window and folds it into the profile; the decision follows after the batch.
   * The rules score explains; once the partition's Isolation Forest is trained, a window must also
   * be unusual for the population to alert, so a change every key makes at once stays quiet.
   */
  private close(st: KeyState, closedAt: number, ps: PartitionState): ClosedWindow {
    const w = st.window as NonNullable<KeyState['window']>;
    const d = this.deps.config.detection;
    const pop = ps.population;
    const fv = computeFeatures(w, st.profile, pop, d.min_history_windows);
    // No alerts while learning.
    const learning = w.end <= pop.first_event + this.learningMs;
    let score = learning ? { score: 0, contributions: {} } : scoreWindow(fv);
    const row = featureRow(fv);
    const model = ps.model.snapshot;
    let modelScore: number | null = null;
    // Verdicts may lower a key's threshold below detection.threshold: the model's say covers those windows too.
    let typical = false;
    if (model && score.score >= (this.deps.calibration?.lowest ?? d.threshold) && driftProne(score.contributions)) {
      modelScore = ps.model.score(row);
      if (modelScore < model.threshold && score.score < d.threshold) typical = true;
      else if (modelScore < model.threshold) {
        this.metrics.populationTypical++;
        score = { score: 0, contributions: {} };
      }
    }
    this.campaigns?.add(summarise(st.key_id, st.profile, w, fv, score.score >= d.threshold));
    foldWindow(st.profile, w, fv, this.halfLifeMs);
    if (score.score < d.threshold) {
      // Training rows: windows that did not alert (alerted ones would teach the model the attack).
      ps.model.observe(row);
      ps.extras.rows.push(JSON.stringify(Array.from(row, (x) => Math.round(x * 1e6) / 1e6)));
      // Parameter shapes of windows that did not alert become the partition's, young keys' too.
      if (w.shapes.length > 0) {
        learnPopulationShapes(pop, w.shapes);
        ps.extras.population = true;
      }
      if (fv.own) {
        const v = fv.values;
        foldPopulation(pop, {
          requests: v.requests,
          distinct: v.distinct_objects,
          distinct_24h: v.distinct_objects_24h,
          seq: v.sequential_share,
          errors: v.error_share,
        });
        ps.extras.population = true;
      }
    } else {
      ps.held.set(`${st.key_id}|${w.start}`, row);
      if (ps.held.size > HELD_ROWS) ps.held.delete(ps.held.keys().next().value as string);
    }
    if (ps.model.due(w.end)) {
      const snap = ps.model.train(w.end);
      ps.extras.model = JSON.stringify(snap);
      this.metrics.modelsTrained++;
      this.deps.log.info({ version: snap.version, rows: snap.rows, threshold: snap.threshold }, 'population model trained');
    }
    st.window = null;
    ps.open.delete(st.key_id);
    this.metrics.windowsClosed++;
    return { keyId: st.key_id, window: w, features: fv, score, closedAt, populationTypical: typical };
  }

  /**
   * A false-positive verdict: the alert's windows were honest after all, so their rows, held back
   * from training when they alerted, join the next training set (stored with the next save).
   * Only windows this process closed and still holds count; answers how many joined.
   */
  async falsePositive(alert: Alert): Promise<number> {
    const ps = this.partitions.get(partitionOf(alert.key_id, this.deps.config.nats.partitions));
    if (!ps) return 0;
    let n = 0;
    for (const [k, row] of ps.held) {
      const bar = k.indexOf('|');
      const start = Number(k.slice(bar + 1));
      if (k.slice(0, bar) !== alert.key_id || start < alert.window.start || start >= alert.window.end) continue;
      ps.held.delete(k);
      ps.model.observe(row);
      ps.extras.rows.push(JSON.stringify(Array.from(row, (x) => Math.round(x * 1e6) / 1e6)));
      n++;
    }
    return n;
  }

  /**
   * The campaign stage takes every window period that all owned partitions have passed (`limit`:
   * everything, at the end of a replay). A partition without any event yet holds it back, unless
   * the others are a week of event time past their first event: then it is taken to be empty.
   */
  private async campaignsDue(limit?: number): Promise<void> {
    if (!this.campaigns) return;
    let clock = limit ?? Infinity;
    if (limit === undefined) {
      let newest = -Infinity;
      let first = Infinity;
      let missing = 0;
      const expected = this.owned ?? [...Array(this.deps.config.nats.partitions).keys()];
      for (const p of expected) {
        const ps = this.partitions.get(p);
        if (!ps || ps.watermark === 0) {
          missing++;
          continue;
        }
        clock = Math.min(clock, ps.watermark - this.latenessMs);
        newest = Math.max(newest, ps.watermark);
        first = Math.min(first, ps.population.first_event || ps.watermark);
      }
      if (clock === Infinity || (missing > 0 && newest - first < EMPTY_PARTITION_MS)) return;
    }
    for (const a of await this.campaigns.advance(clock)) {
      this.metrics.alertsRaised++;
      this.metrics.alertsBySeverity[a.severity]++;
      this.deps.onAlert?.(a);
    }
  }

  private async decide(closed: ClosedWindow[]): Promise<void> {
    for (const c of closed) {
      const alert = await this.decider.consider(c);
      if (alert) {
        this.metrics.alertsRaised++;
        this.deps.onAlert?.(alert);
      }
    }
  }

  private async save(partition: number, ps: PartitionState, dirty: Set<KeyState>): Promise<void> {
    const states = [...dirty];
    for (const s of states) sealState(s);
    const x = ps.extras;
    // Detached before the write: rows a verdict adds meanwhile go with the next save.
    ps.extras = { rows: [], population: false, model: null };
    const extras: PartitionExtras = { rows: x.rows, maxRows: MODEL_ROWS };
    if (x.population) extras.population = JSON.stringify(ps.population);
    if (x.model !== null) extras.model = x.model;
    await this.deps.store.save(partition, states, { partition, seq: ps.seq, watermark: ps.watermark }, extras);
  }
}
