/** The webhook outbox in process memory, for tests. Same obligations as the Redis outbox. */
import type { Alert } from '../../contracts/index.js';
import { emptyStatus, MAX_DEAD_LETTERS, type DeadLetter, type Delivery, type Outbox, type OutboxStatus } from './outbox.js';

interface Item extends Delivery {
  due: number;
  last_error: string;
}

interface TargetBox {
  items: Map<string, Item>;
  done: Set<string>;
  dead: DeadLetter[];
  stats: OutboxStatus;
}

export class MemoryOutbox implements Outbox {
  private readonly boxes = new Map<string, TargetBox>();

  private box(target: string): TargetBox {
    let b = this.boxes.get(target);
    if (!b) this.boxes.set(target, (b = { items: new Map(), done: new Set(), dead: [], stats: emptyStatus() }));
    return b;
  }

  async enqueue(target: string, id: string, alert: Alert, now: number): Promise<boolean> {
    const b = this.box(target);
    if (b.items.has(id) || b.done.has(id) || b.dead.some((d) => d.id === id)) return false;
    b.items.set(id, { id, alert: structuredClone(alert), created_at: now, attempts: 0, due: now, last_error: '' });
    return true;
  }

  async claim(target: string, now: number, leaseUntil: number, max: number): Promise<Delivery[]> {
    const due = [...this.box(target).items.values()].filter((i) => i.due <= now).sort((a, b) => a.due - b.due).slice(0, max);
    for (const i of due) i.due = leaseUntil;
    return due.map((i) => ({ id: i.id, alert: structuredClone(i.alert), created_at: i.created_at, attempts: i.attempts }));
  }

  async delivered(target: string, id: string, now: number): Promise<void> {
    const b = this.box(target);
    if (!b.items.delete(id)) return;
    b.done.add(id);
    b.stats.delivered++;
    b.stats.last_success_at = now;
  }

  async retry(target: string, id: string, nextAt: number, error: string, now: number): Promise<void> {
    const b = this.box(target);
    const i = b.items.get(id);
    if (!i) return;
    Object.assign(i, { due: nextAt, attempts: i.attempts + 1, last_error: error });
    Object.assign(b.stats, { failed_attempts: b.stats.failed_attempts + 1, last_failure_at: now, last_error: error });
  }

  async deadLetter(target: string, id: string, error: string, now: number): Promise<void> {
    const b = this.box(target);
    const i = b.items.get(id);
    if (!i) return;
    b.items.delete(id);
    b.dead.unshift({ id, alert_id: i.alert.id, created_at: i.created_at, dead_at: now, attempts: i.attempts + 1, last_error: error });
    if (b.dead.length > MAX_DEAD_LETTERS) b.dead.length = MAX_DEAD_LETTERS;
    Object.assign(b.stats, { failed_attempts: b.stats.failed_attempts + 1, last_failure_at: now, last_error: error });
  }

  async release(target: string, id: string, now: number): Promise<void> {
    const i = this.box(target).items.get(id);
    if (i) i.due = now;
  }

  async status(target: string): Promise<OutboxStatus> {
    const b = this.box(target);
    return { ...b.stats, pending: b.items.size, dead: b.dead.length };
  }

  async deadLetters(target: string, limit: number): Promise<DeadLetter[]> {
    return this.box(target).dead.slice(0, limit).map((d) => ({ ...d }));
  }

  async drop(target: string): Promise<void> {
    this.boxes.delete(target);
  }
}
