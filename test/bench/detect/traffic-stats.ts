/**
 * What the log holds per key, gathered while it is generated: request counts in sliding
 * windows (what a per-key rate limit would have counted), and for attacked keys how the first
 * 24 hours of the attack compare with the key's own past. Saved next to the cached log.
 */
import type { SimEvent } from '../../sim/event.js';
import type { Truth } from '../../sim/truth.js';

export const DAY_MS = 86_400_000;
export const RATE_WINDOWS = [
  { label: '1 min', ms: 60_000 },
  { label: '1 h', ms: 3_600_000 },
  { label: '24 h', ms: DAY_MS },
] as const;

/** The first 24 hours of an attack, next to the key's honest past. */
export interface AttackDay {
  /** Requests of the key, honest ones included. */
  requests: number;
  abusive: number;
  /** Abusive requests from /24 networks, or with user agents, the key never used before the attack. */
  abusiveNewNetwork: number;
  abusiveNewAgent: number;
  abusive4xx: number;
  /** Distinct paths the abusive requests read. */
  abusiveObjects: number;
  /** Largest number of the key's requests in one clock hour. */
  peakHour: number;
}

export interface KeyStats {
  requests: number;
  firstMs: number;
  /** Largest count in any sliding window (one per RATE_WINDOWS) over honest traffic: before the attack, or always for honest keys. */
  honestMax: number[];
  /** Largest count in any sliding window ending within 24 h after the attack start; null for honest keys. */
  attackMax: number[] | null;
  /** Honest requests before the attack and the UTC days they fall on; for attacked keys. */
  before: { requests: number; days: number; peakHour: number } | null;
  attackDay: AttackDay | null;
}

/** Counts of one key in a sliding window: timestamps arrive in order. */
class Sliding {
  private times: number[] = [];
  private head = 0;

  constructor(private readonly spanMs: number) {}

  add(t: number): number {
    this.times.push(t);
    while ((this.times[this.head] as number) <= t - this.spanMs) this.head++;
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }
}

interface Tracker {
  stats: KeyStats;
  start: number;
  windows: Sliding[];
  networks: Set<string> | null;
  agents: Set<string> | null;
  days: Set<number> | null;
  objects: Set<string> | null;
  hours: Map<number, number> | null;
}

export class TrafficStats {
  private readonly keys = new Map<string, Tracker>();

  constructor(truth: Truth) {
    for (const k of truth.keys) {
      const attacked = k.attack_start_ms !== null;
      this.keys.set(k.key, {
        stats: {
          requests: 0,
          firstMs: -1,
          honestMax: RATE_WINDOWS.map(() => 0),
          attackMax: attacked ? RATE_WINDOWS.map(() => 0) : null,
          before: attacked ? { requests: 0, days: 0, peakHour: 0 } : null,
          attackDay: attacked
            ? { requests: 0, abusive: 0, abusiveNewNetwork: 0, abusiveNewAgent: 0, abusive4xx: 0, abusiveObjects: 0, peakHour: 0 }
            : null,
        },
        start: k.attack_start_ms ?? Infinity,
        windows: RATE_WINDOWS.map((w) => new Sliding(w.ms)),
        networks: attacked ? new Set() : null,
        agents: attacked ? new Set() : null,
        days: attacked ? new Set() : null,
        objects: attacked ? new Set() : null,
        hours: attacked ? new Map() : null,
      });
    }
  }

  add(e: SimEvent): void {
    const k = this.keys.get(e.apiKey);
    if (!k) return;
    const s = k.stats;
    const t = e.endMs;
    s.requests++;
    if (s.firstMs < 0) s.firstMs = t;
    const honestPhase = t < k.start;
    const firstDay = !honestPhase && t < k.start + DAY_MS;
    for (let i = 0; i < k.windows.length; i++) {
      const n = (k.windows[i] as Sliding).add(t);
      if (honestPhase) s.honestMax[i] = Math.max(s.honestMax[i] as number, n);
      else if (firstDay && s.attackMax) s.attackMax[i] = Math.max(s.attackMax[i] as number, n);
    }
    if (!s.before || !s.attackDay) return;
    const hour = Math.floor(t / 3_600_000);
    const net = e.remoteAddr.slice(0, e.remoteAddr.lastIndexOf('.'));
    if (honestPhase) {
      s.before.requests++;
      k.networks?.add(net);
      k.agents?.add(e.userAgent);
      k.days?.add(Math.floor(t / DAY_MS));
      s.before.days = k.days?.size ?? 0;
    } else if (firstDay) {
      const a = s.attackDay;
      a.requests++;
      if (e.abusive) {
        a.abusive++;
        if (!k.networks?.has(net)) a.abusiveNewNetwork++;
        if (!k.agents?.has(e.userAgent)) a.abusiveNewAgent++;
        if (e.status >= 400 && e.status < 500) a.abusive4xx++;
        k.objects?.add(e.uri);
        a.abusiveObjects = k.objects?.size ?? 0;
      }
    }
    if (honestPhase || firstDay) {
      const n = (k.hours?.get(hour) ?? 0) + 1;
      k.hours?.set(hour, n);
      if (honestPhase) s.before.peakHour = Math.max(s.before.peakHour, n);
      else s.attackDay.peakHour = Math.max(s.attackDay.peakHour, n);
    }
  }

  /** Per raw key. */
  result(): Record<string, KeyStats> {
    return Object.fromEntries([...this.keys].map(([key, k]) => [key, k.stats]));
  }
}
