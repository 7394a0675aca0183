/**
 * The replay report (`lowslow replay --report FILE`): the run's figures, a summary table of
 * every alert and, for each one, the dashboard's charts (reasons, window scores with the
 * threshold, hour-of-week heatmap, routes then and usually, sample events) in one
 * self-contained HTML file. The replay keeps its stores (ScoreHistory keeps whole timelines);
 * collect.ts reads them through the API, html.ts inlines everything.
 */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Alert } from '../../../contracts/index.js';
import type { MemoryAlertStore } from '../../alerts/memory-alert-store.js';
import type { ProfileStore } from '../../profiles/store.js';
import { collectAlerts, type ReportSample } from './collect.js';
import { reportHtml } from './html.js';
import type { ScoreHistory } from './score-history.js';

export { ScoreHistory } from './score-history.js';

export interface ReportRun {
  files: string[];
  lines: number;
  events: number;
  rejected: Record<string, number>;
  keys: number;
  windows: number;
  alerts: Alert[];
  seconds: number;
  samples?: ReportSample[];
}

export interface ReportStores {
  alerts: MemoryAlertStore;
  profiles: ProfileStore;
  history: ScoreHistory;
}

export async function buildReport(run: ReportRun, stores: ReportStores, now = Date.now()): Promise<string> {
  const alerts = await collectAlerts({ alerts: run.alerts, alertStore: stores.alerts, profiles: stores.profiles, history: stores.history, ...(run.samples ? { samples: run.samples } : {}) });
  const rejected = Object.values(run.rejected).reduce((a, b) => a + b, 0);
  const data = {
    generated_at: now,
    files: run.files.map((f) => basename(f)),
    figures: { lines: run.lines, events: run.events, rejected, keys: run.keys, windows: run.windows, alerts: run.alerts.length, seconds: Math.round(run.seconds * 100) / 100 },
    rejected_by_reason: run.rejected,
    alerts,
  };
  return reportHtml(`lowslow replay: ${data.files.join(', ')}`, data);
}

export async function writeReport(path: string, run: ReportRun, stores: ReportStores): Promise<void> {
  await writeFile(path, await buildReport(run, stores));
}
