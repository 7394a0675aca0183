/**
 * Where alerts are kept for the API. Listing is newest event time first, then id, and pages with
 * an opaque cursor holding the last (event_time, id) returned.
 */
import type { Alert, Severity } from '../../contracts/index.js';

export interface AlertFilter {
  key_id?: string;
  severity?: Severity;
  status?: Alert['status'];
  gateway?: string;
  /** Event time range, ms, inclusive. */
  from?: number;
  to?: number;
}

export interface AlertCursor {
  t: number;
  id: string;
}

export interface AlertPage {
  alerts: Alert[];
  next: AlertCursor | null;
}

export interface AlertStore {
  put(alert: Alert): Promise<void>;
  get(id: string): Promise<Alert | null>;
  list(filter: AlertFilter, limit: number, after: AlertCursor | null): Promise<AlertPage>;
  /** The active (open or acknowledged) alert of a key and kind, if any (one at a time). */
  openFor(keyId: string, kind: string): Promise<Alert | null>;
  /**
   * Changes one alert without losing a concurrent change: `mutate` gets a copy of the stored alert
   * and returns the new one (or null: leave it as it is); `beforeWrite` runs with the new alert
   * before it is stored (publish there: a crash in between republishes, never loses it). When
   * another writer changed the alert meanwhile, both run again on the fresh copy. Resolves with
   * the alert as stored, or null when there is no such alert.
   */
  update(id: string, mutate: (current: Alert) => Alert | null, beforeWrite?: (next: Alert) => Promise<void>): Promise<Alert | null>;
}

/** Open or acknowledged: the alert a later anomalous window of the same key and kind extends. */
export function isActive(a: Alert): boolean {
  return a.status === 'open' || a.status === 'acknowledged';
}

export function matches(a: Alert, f: AlertFilter): boolean {
  return (
    (f.key_id === undefined || a.key_id === f.key_id) &&
    (f.severity === undefined || a.severity === f.severity) &&
    (f.status === undefined || a.status === f.status) &&
    (f.gateway === undefined || a.source.gateway === f.gateway) &&
    (f.from === undefined || a.event_time >= f.from) &&
    (f.to === undefined || a.event_time <= f.to)
  );
}

/** Newest first; ties broken by id, descending. */
export function before(a: { event_time: number; id: string }, c: AlertCursor): boolean {
  return a.event_time < c.t || (a.event_time === c.t && a.id < c.id);
}
