/**
 * Gathers what the report shows for each alert from the stores a replay kept: the key's profile
 * as GET /v1/keys/:key_id gives it (the API itself answers, so the report and the dashboard show
 * the same data), its window scores around the alert, and the alert's sample events.
 */
import type { Alert } from '../../../contracts/index.js';
import type { MemoryAlertStore } from '../../alerts/memory-alert-store.js';
import { buildApi } from '../../api/app.js';
import type { ProfileStore } from '../../profiles/store.js';
import type { ScoreHistory } from './score-history.js';

const DAY = 86_400_000;
/** Timeline shown around an alert window. */
const BEFORE_MS = 14 * DAY;
const AFTER_MS = 3 * DAY;

export interface ReportSample {
  id: string;
  ts: number;
  method: string;
  route: string;
  status: number;
  ip: string;
  bytes: number;
}

export interface ReportAlert {
  alert: Alert;
  /** GET /v1/keys/:key_id at the end of the run; null when the key has no profile. */
  profile: unknown;
  timeline: Array<{ window_end: number; score: number }>;
  events: ReportSample[] | null;
}

export async function collectAlerts(o: {
  alerts: Alert[];
  alertStore: MemoryAlertStore;
  profiles: ProfileStore;
  history: ScoreHistory;
  samples?: ReportSample[];
}): Promise<ReportAlert[]> {
  const api = buildApi({ alerts: o.alertStore, keys: { risk: o.history, profiles: o.profiles }, ui: false });
  const profiles = new Map<string, unknown>();
  const byId = new Map((o.samples ?? []).map((e) => [e.id, e]));
  const out: ReportAlert[] = [];
  try {
    for (const alert of o.alerts) {
      if (!profiles.has(alert.key_id)) {
        const r = await api.inject({ url: `/v1/keys/${alert.key_id}` });
        profiles.set(alert.key_id, r.statusCode === 200 ? r.json() : null);
      }
      const events = o.samples ? alert.evidence.sample_event_ids.map((id) => byId.get(id)).filter((e): e is ReportSample => e !== undefined) : null;
      out.push({
        alert,
        profile: profiles.get(alert.key_id) ?? null,
        timeline: o.history.between(alert.key_id, alert.window.start - BEFORE_MS, alert.window.end + AFTER_MS),
        events,
      });
    }
  } finally {
    await api.close();
  }
  return out;
}
