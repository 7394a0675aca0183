/** Alerts in process memory, for replay and tests. */
import type { Alert } from '../../contracts/index.js';
import { before, isActive, matches, type AlertCursor, type AlertFilter, type AlertPage, type AlertStore } from './alert-store.js';

export class MemoryAlertStore implements AlertStore {
  private readonly byId = new Map<string, Alert>();

  async put(alert: Alert): Promise<void> {
    this.byId.set(alert.id, structuredClone(alert));
  }

  async get(id: string): Promise<Alert | null> {
    const a = this.byId.get(id);
    return a ? structuredClone(a) : null;
  }

  async list(filter: AlertFilter, limit: number, after: AlertCursor | null): Promise<AlertPage> {
    const all = [...this.byId.values()]
      .filter((a) => matches(a, filter) && (after === null || before(a, after)))
      .sort((a, b) => b.event_time - a.event_time || (a.id < b.id ? 1 : -1));
    const alerts = all.slice(0, limit).map((a) => structuredClone(a));
    const last = alerts[alerts.length - 1];
    return { alerts, next: all.length > limit && last ? { t: last.event_time, id: last.id } : null };
  }

  async openFor(keyId: string, kind: string): Promise<Alert | null> {
    for (const a of this.byId.values()) if (a.key_id === keyId && a.kind === kind && isActive(a)) return structuredClone(a);
    return null;
  }

  async update(id: string, mutate: (current: Alert) => Alert | null, beforeWrite?: (next: Alert) => Promise<void>): Promise<Alert | null> {
    for (;;) {
      const stored = this.byId.get(id);
      if (!stored) return null;
      const next = mutate(structuredClone(stored));
      if (next === null) return structuredClone(stored);
      await beforeWrite?.(structuredClone(next));
      // Another writer got in while beforeWrite awaited: start again from its version.
      if (this.byId.get(id) !== stored) continue;
      this.byId.set(id, structuredClone(next));
      return structuredClone(next);
    }
  }

  all(): Alert[] {
    return [...this.byId.values()];
  }
}
