/**
 * The soak's load generator: access log lines in our nginx log_format, written to the file the
 * agent follows at a fixed rate, stamped with the wall clock (live event time). Honest keys read
 * their own few orders from their own network, about as many requests and objects a window as the
 * population prior young keys are judged against (a few requests a second); from `attackAt` on, the anomalous keys walk customer ids
 * in sequence from a network and agent they never used, at the same rate. For each anomalous key
 * it remembers when the line that closes each of its windows was written: its first line at or
 * past the window's end.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { computeKeyId } from '../../../agent/sanitize/key-id.js';
import { nginxLine } from '../../support/log-lines.js';
import { mulberry32 } from '../../support/seeded.js';

export interface TrafficOptions {
  file: string;
  /** Lines per second. */
  rate: number;
  keys: number;
  anomalous: number;
  /** Wall time (ms) the anomalous keys start walking ids. */
  attackAt: number;
  windowMs: number;
  secret: string;
}

const TICK_MS = 50;

export class SoakTraffic {
  written = 0;
  /** Anomalous key_id → window end → wall time (ms) its closing line was in the file. */
  readonly closers = new Map<string, Map<number, number>>();
  readonly anomalousIds = new Set<string>();
  private readonly raw: string[];
  private readonly anomalousFrom: number;
  private readonly random = mulberry32(1);
  private readonly lastWindow = new Map<number, number>();
  private readonly walk = new Map<number, number>();
  private next = 0;
  private id = 0;

  constructor(private readonly o: TrafficOptions) {
    this.raw = Array.from({ length: o.keys + o.anomalous }, (_, i) => (i < o.keys ? `sk_live_soak_${i}` : `sk_live_soak_anomalous_${i - o.keys}`));
    this.anomalousFrom = o.keys;
    for (let i = o.keys; i < this.raw.length; i++) {
      const id = computeKeyId(o.secret, this.raw[i] as string);
      this.anomalousIds.add(id);
      this.closers.set(id, new Map());
    }
  }

  /** Writes at the rate until `untilMs` (wall clock) or the signal aborts. */
  async run(untilMs: number, signal: AbortSignal): Promise<void> {
    const fd = openSync(this.o.file, 'a');
    const t0 = Date.now();
    let prev = t0;
    try {
      while (!signal.aborted && Date.now() < untilMs) {
        const now = Date.now();
        const due = Math.floor(((now - t0) / 1000) * this.o.rate) - this.written;
        if (due > 0) {
          const lines: string[] = [];
          const closing: Array<[string, number]> = [];
          for (let i = 0; i < due; i++) lines.push(this.line(prev + ((i + 1) / due) * (now - prev), closing));
          writeSync(fd, `${lines.join('\n')}\n`);
          const at = Date.now();
          for (const [key, end] of closing) this.closers.get(key)?.set(end, at);
          this.written += due;
          prev = now;
        }
        await new Promise((r) => setTimeout(r, TICK_MS));
      }
    } finally {
      closeSync(fd);
    }
  }

  private line(wall: number, closing: Array<[string, number]>): string {
    const k = this.next++ % this.raw.length;
    const key = this.raw[k] as string;
    const id = ++this.id;
    const t = Math.floor(wall);
    // ts is the request start: the line's time minus request_time (12 ms).
    const ts = t - 12;
    if (k >= this.anomalousFrom) {
      const w = Math.floor(ts / this.o.windowMs);
      const last = this.lastWindow.get(k);
      if (last !== undefined && w > last) closing.push([computeKeyIdCached(this.o.secret, key), (last + 1) * this.o.windowMs]);
      this.lastWindow.set(k, w);
      if (t >= this.o.attackAt) {
        const n = (this.walk.get(k) ?? 10_000 * (k - this.anomalousFrom + 1)) + 1;
        this.walk.set(k, n);
        return nginxLine({ t: t / 1000, key, uri: `/v1/customers/${n}`, ip: `203.0.113.${k - this.anomalousFrom + 1}`, ua: 'python-requests/2.31', id });
      }
    }
    const list = this.random() < 0.1;
    return nginxLine({
      t: t / 1000,
      key,
      // Its own twenty orders, ids far apart: no walk, and as many objects as the population's prior.
      uri: list ? '/v1/orders' : `/v1/orders/${(k + 1) * 100_000 + 1_000 * Math.floor(this.random() * 20)}`,
      args: list ? 'page=1&limit=20' : '',
      ip: `10.${(k >> 8) & 255}.${k & 255}.7`,
      status: this.random() < 0.02 ? 404 : 200,
      id,
    });
  }
}

const keyIds = new Map<string, string>();
function computeKeyIdCached(secret: string, key: string): string {
  let id = keyIds.get(key);
  if (id === undefined) keyIds.set(key, (id = computeKeyId(secret, key)));
  return id;
}
