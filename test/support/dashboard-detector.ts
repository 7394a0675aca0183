/**
 * A detector API fed by the simulator's bundled week (samples/scraper-week.log.gz) through the
 * replay pipeline into memory stores, listening on a free loopback port with a read and an
 * admin token, for the dashboard's browser tests and screenshots.
 */
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { MemoryAlertStore } from '../../detector/alerts/memory-alert-store.js';
import { MemoryKeyRiskStore } from '../../detector/alerts/memory-key-risk-store.js';
import { AlertReview } from '../../detector/alerts/review.js';
import { buildApi } from '../../detector/api/app.js';
import { MemoryProfileStore } from '../../detector/profiles/memory-store.js';
import { replay, type ReplaySummary } from '../../bin/replay.js';
import { testConfig } from './detector-harness.js';
import { SAMPLE_LOG } from './sample-events.js';

export const READ_TOKEN = 'dashboard-read-token-0123456789';
export const ADMIN_TOKEN = 'dashboard-admin-token-0123456789';

export interface DashboardDetector {
  url: string;
  summary: ReplaySummary;
  alerts: MemoryAlertStore;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startDashboardDetector(): Promise<DashboardDetector> {
  const profiles = new MemoryProfileStore();
  const alerts = new MemoryAlertStore();
  const risk = new MemoryKeyRiskStore();
  const log = pino({ level: 'silent' });
  const summary = await replay({
    files: [fileURLToPath(SAMPLE_LOG)],
    config: testConfig({ key_secret: 'dashboard-test-secret-0123456789' }),
    log,
    onAlert: () => {},
    stores: { profiles, alerts, risk },
  });
  const app = buildApi({
    alerts,
    review: new AlertReview({ store: alerts }),
    keys: { risk, profiles },
    tokens: { read: [READ_TOKEN], admin: [ADMIN_TOKEN] },
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const stop = async () => {
    await app.close();
  };
  return { url, summary, alerts, stop, [Symbol.asyncDispose]: stop };
}
