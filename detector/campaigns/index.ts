/**
 * The campaign stage: what no single key's window shows. Closed windows of every partition the
 * detector owns come here as summaries and wait until event time has passed their window in all
 * of those partitions (the smallest watermark, less the allowed lateness); then each window period
 * is taken in order, its keys sorted, so the outcome does not depend on which partition got there
 * first and replay raises what live operation raises. Per period:
 *
 * 1. each key's 30-day coverage of the id spaces it reads against the population's (the union of
 *    all keys' sketches) and against the other keys' shares (coverage alert);
 * 2. the period is folded into the population's id spaces and percentiles;
 * 3. consumers: their keys' windows merged and judged as one key (campaign alert);
 * 4. keys filed under what they share (consumer, networks, provider block, agent); linked keys
 *    whose reads together go beyond what one key is allowed (campaign alert listing its members,
 *    one open alert per campaign, raised in severity as it grows).
 *
 * The rules are in findings.ts. State is bounded (groups.ts, id-space.ts, registry.ts) and stored
 * every few hours of event time; consumer profiles are stored like key states (≤ 4 KB each).
 */
import type { Logger } from 'pino';
import { partitionOf, type Alert, type Config } from '../../contracts/index.js';
import type { AlertStore } from '../alerts/alert-store.js';
import type { AlertPublisher } from '../alerts/publish.js';
import type { Suppressions } from '../alerts/suppressions.js';
import { foldPopulation, newPopulation, type Population } from '../features/population.js';
import { dayOf } from '../profiles/coverage-sketch.js';
import { newProfile, type KeyState } from '../profiles/key-state.js';
import type { ProfileStore } from '../profiles/store.js';
import { judgeConsumer, mergeWindows } from './consumers.js';
import { COVERAGE_KIND, FindingDecider, type Finding } from './decide.js';
import { Findings } from './findings.js';
import { Groups, type GroupsState } from './groups.js';
import { IdSpace, type IdSpaceState } from './id-space.js';
import { CampaignMetrics } from './metrics.js';
import { CampaignRegistry, type RegistryState } from './registry.js';
import type { WindowSummary } from './summary.js';

export { summarise, type WindowSummary } from './summary.js';
export { CAMPAIGN_KIND, COVERAGE_KIND } from './decide.js';

const DAY_MS = 86_400_000;
/** No coverage alert while the stage has seen less than this of event time: 30-day shares need a week behind them. */
const COVERAGE_LEARNING_MS = 7 * DAY_MS;
/** A key alerted this recently gives no sample to the population. */
const ALERTED_MS = 30 * DAY_MS;
/** Summaries waiting for the slowest partition, at most: beyond, the oldest period is taken anyway. */
const MAX_PENDING = 200_000;
const MAX_CONSUMERS = 20_000;
const SAVE_EVERY_MS = 6 * 3_600_000;
const STATE_VERSION = 1;

export interface CampaignDeps {
  config: Config;
  store: ProfileStore;
  alerts: AlertStore;
  publisher: AlertPublisher;
  log: Logger;
  modelVersion: string;
  suppressions?: Suppressions;
}

interface StoredState {
  v: number;
  clock: number;
  firstStart: number;
  space: IdSpaceState;
  groups: GroupsState;
  population: Population;
  open: RegistryState;
}

export class CampaignTracker {
  readonly metrics = new CampaignMetrics();
  private readonly pending = new Map<number, Map<string, WindowSummary>>();
  private pendingCount = 0;
  /** Every window ending at or before this has been taken. */
  private clock = 0;
  private firstStart = 0;
  private space = new IdSpace();
  private groups = new Groups();
  private population = newPopulation();
  private registry = new CampaignRegistry();
  private findings: Findings;
  private readonly consumers = new Map<string, KeyState>();
  private readonly dirty = new Set<KeyState>();
  private readonly decider: FindingDecider;
  private chain: Promise<unknown> = Promise.resolve();
  private name = 'campaigns';
  private lastSave = 0;
  private readonly windowMs: number;

  constructor(private readonly deps: CampaignDeps) {
    const d = deps.config.detection;
    this.windowMs = d.window_minutes * 60_000;
    this.decider = new FindingDecider(deps.alerts, deps.publisher, { threshold: d.threshold, modelVersion: deps.modelVersion, suppressions: deps.suppressions });
    this.findings = new Findings(deps.config, this.space, this.groups, this.registry, () => this.population);
  }

  /** Loads the stage's state stored under `name` (one per set of owned partitions). */
  async load(name: string): Promise<void> {
    this.name = name;
    const text = (await this.deps.store.loadShared?.(name)) ?? null;
    if (text === null) return;
    const s = JSON.parse(text) as StoredState;
    if (s.v !== STATE_VERSION) return;
    this.clock = s.clock;
    this.firstStart = s.firstStart;
    this.space = IdSpace.fromJSON(s.space);
    this.groups = Groups.fromJSON(s.groups);
    this.population = s.population;
    this.registry = CampaignRegistry.fromJSON(s.open);
    this.findings = new Findings(this.deps.config, this.space, this.groups, this.registry, () => this.population);
    this.lastSave = s.clock;
  }

  /** A closed window (called in its partition, before its profile folds). */
  add(s: WindowSummary): void {
    if (s.end <= this.clock) {
      // Its period was taken already: a batch applied again after a failure.
      this.metrics.late++;
      return;
    }
    let b = this.pending.get(s.start);
    if (!b) this.pending.set(s.start, (b = new Map()));
    if (!b.has(s.keyId)) this.pendingCount++;
    b.set(s.keyId, s);
  }

  /**
   * Event time has passed `clock` in every owned partition: every period ending by then is taken.
   * Calls are serialised (partitions are consumed concurrently). Resolves with the alerts raised.
   */
  advance(clock: number): Promise<Alert[]> {
    const run = this.chain.then(() => this.run(clock));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async run(clock: number): Promise<Alert[]> {
    const raised: Alert[] = [];
    const starts = [...this.pending.keys()].sort((a, b) => a - b);
    let taken = false;
    for (const start of starts) {
      const end = start + this.windowMs;
      // A partition that stopped moving must not hold everything back for ever (memory bound).
      const forced = this.pendingCount > MAX_PENDING;
      if (end > clock && !forced) break;
      if (forced && end > clock) this.metrics.forced++;
      const b = this.pending.get(start) as Map<string, WindowSummary>;
      this.pending.delete(start);
      this.pendingCount -= b.size;
      raised.push(...(await this.period(start, end, [...b.values()].sort((x, y) => (x.keyId < y.keyId ? -1 : 1)))));
      this.clock = Math.max(this.clock, end);
      taken = true;
    }
    if (clock !== Infinity && clock > this.clock) this.clock = Math.floor(clock / this.windowMs) * this.windowMs;
    // Stored at least every few hours of event time, and whenever it raised something: a campaign
    // the stage forgot across a restart would be raised again under another id.
    if (taken) await this.persist(clock === Infinity || raised.length > 0);
    return raised;
  }

  private async period(start: number, end: number, list: WindowSummary[]): Promise<Alert[]> {
    const d = this.deps.config.detection;
    const day = dayOf(end - 1);
    if (this.firstStart === 0) this.firstStart = start;
    this.space.decayTo(day);
    this.metrics.windows += list.length;
    const learning = end <= this.firstStart + d.learning_hours * 3_600_000;
    // 30-day shares mean little before the population's id spaces have a week behind them.
    const coverageLearning = learning || end <= this.firstStart + COVERAGE_LEARNING_MS;
    const findings: Finding[] = [];

    // 1. Coverage against the population as it stood before this period.
    const shares = new Map<WindowSummary, Array<{ route: string; share: number }>>();
    for (const s of list) {
      const mine: Array<{ route: string; share: number }> = [];
      for (const c of s.cover) {
        const cov = this.space.coverage(c.route, c.sketch, day);
        mine.push({ route: c.route, share: cov.share });
        if (coverageLearning) continue;
        const f = this.findings.coverage(s, c, cov, day);
        if (f) findings.push(f);
      }
      shares.set(s, mine);
    }

    // 2. The period joins the population (keys alerted lately give no sample).
    for (const s of list) {
      const info = this.groups.info(s.keyId);
      const alertedLately = s.alerted || (info !== undefined && info.listedAt > end - ALERTED_MS);
      for (const c of s.cover) this.space.absorb(c.route, c.sketch);
      if (s.firstOfDay && !alertedLately) {
        for (const x of shares.get(s) ?? []) this.space.sampleCoverage(x.route, s.keyId, x.share, day);
        this.space.sampleDistinct24h(s.distinct24h);
      }
      if (s.alerted) this.space.forget(s.keyId);
      if (s.own && !s.alerted) foldPopulation(this.population, s.values);
    }

    // 3. Who acts together.
    const touched = new Set<string>();
    for (const s of list) for (const g of this.groups.observe(s, day)) touched.add(g);

    // 4. Consumers judged as one key.
    const byConsumer = new Map<string, WindowSummary[]>();
    for (const s of list) {
      if (s.consumer === '' || s.window === null) continue;
      const l = byConsumer.get(s.consumer) ?? [];
      l.push(s);
      byConsumer.set(s.consumer, l);
    }
    for (const consumer of [...byConsumer.keys()].sort()) {
      const f = await this.consumerFinding(consumer, byConsumer.get(consumer) as WindowSummary[], start, end, day, learning);
      if (f) findings.push(f);
    }

    // 5. Linked keys going beyond what one key is allowed.
    if (!learning) {
      const seen = new Set<string>();
      for (const name of [...touched].sort()) {
        for (const comp of this.groups.components(name, end)) {
          const sig = comp.members.map((m) => m.key).join(',');
          if (seen.has(sig)) continue;
          seen.add(sig);
          const f = this.findings.group(comp, start, end, day, coverageLearning);
          if (f) findings.push(f);
        }
      }
    }

    const raised: Alert[] = [];
    for (const f of findings) {
      const a = await this.decider.consider(f);
      if (!a) continue;
      raised.push(a);
      if (a.kind === COVERAGE_KIND) this.metrics.coverageAlerts++;
      else this.metrics.campaignAlerts++;
      for (const k of a.campaign ? a.campaign.members.map((m) => m.key_id) : [a.key_id]) {
        this.groups.markAlerted(k, end, a.campaign === undefined);
        this.space.forget(k);
      }
    }
    return raised;
  }

  private async consumerState(consumer: string, start: number): Promise<KeyState> {
    let st = this.consumers.get(consumer);
    if (st) {
      this.consumers.delete(consumer);
      this.consumers.set(consumer, st);
      return st;
    }
    st = (await this.deps.store.load([consumer])).get(consumer);
    if (!st) st = { key_id: consumer, profile: newProfile(start), window: null };
    if (this.consumers.size >= MAX_CONSUMERS) this.consumers.delete(this.consumers.keys().next().value as string);
    this.consumers.set(consumer, st);
    return st;
  }

  /** Merges the consumer's windows of the period, scores them against its profile and folds them in. */
  private async consumerFinding(consumer: string, of: WindowSummary[], start: number, end: number, day: number, learning: boolean): Promise<Finding | null> {
    const d = this.deps.config.detection;
    const st = await this.consumerState(consumer, start);
    const w = mergeWindows(of.map((s) => s.window as NonNullable<WindowSummary['window']>), consumer);
    const v = judgeConsumer(st.profile, w, this.population, d.min_history_windows, d.half_life_days * DAY_MS);
    this.dirty.add(st);
    return learning ? null : this.findings.consumer(consumer, w, v, end, day);
  }

  private async persist(now: boolean): Promise<void> {
    const store = this.deps.store;
    if (this.dirty.size > 0) {
      const n = this.deps.config.nats.partitions;
      const by = new Map<number, KeyState[]>();
      for (const st of this.dirty) {
        const p = partitionOf(st.key_id, n);
        by.set(p, [...(by.get(p) ?? []), st]);
      }
      this.dirty.clear();
      for (const [p, states] of by) await store.save(p, states, null);
    }
    if (!store.saveShared || (!now && this.clock - this.lastSave < SAVE_EVERY_MS)) return;
    this.lastSave = this.clock;
    const s: StoredState = {
      v: STATE_VERSION,
      clock: this.clock,
      firstStart: this.firstStart,
      space: this.space.toJSON(),
      groups: this.groups.toJSON(),
      population: this.population,
      open: this.registry.toJSON(),
    };
    await store.saveShared(this.name, JSON.stringify(s));
  }

  /** Groups kept, summaries waiting for their period (for metrics and tests). */
  get sizes(): { groups: number; pending: number; consumers: number } {
    return { groups: this.groups.size, pending: this.pendingCount, consumers: this.consumers.size };
  }
}
