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
  /** The open alert of a key and kind, if any (one at a time). */
  openFor(keyId: string, kind: string): Promise<Alert | null>;
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
