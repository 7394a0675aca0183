/**
 * `npm run screenshots`: docs/dashboard.png (alert list), docs/alert.png (one alert) and
 * docs/report.png (the replay report), taken with the headless Chromium the browser tests use,
 * of a detector and a report fed by the simulator's bundled week.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { replay } from '../../bin/replay.js';
import { MemoryAlertStore } from '../../detector/alerts/memory-alert-store.js';
import { MemoryProfileStore } from '../../detector/profiles/memory-store.js';
import { ScoreHistory, writeReport } from '../../detector/ui/report/index.js';
import { launchChromium, watchedPage } from './chromium.js';
import { ADMIN_TOKEN, startDashboardDetector } from './dashboard-detector.js';
import { testConfig } from './detector-harness.js';
import { SAMPLE_LOG } from './sample-events.js';

const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const dark = process.argv.includes('--dark');

async function main(): Promise<void> {
  const browser = await launchChromium();
  const detector = await startDashboardDetector();
  const dir = await mkdtemp(join(tmpdir(), 'lowslow-shots-'));
  try {
    const { page } = await watchedPage(browser, { width: 1280, height: 720, dark });
    await page.goto(`${detector.url}/ui/`);
    await page.fill('input[name=token]', ADMIN_TOKEN);
    await page.click('form.token button[type=submit]');
    await page.waitForSelector('tr[data-alert]');
    await page.screenshot({ path: join(DOCS, 'dashboard.png') });

    // The highest-scoring alert makes the clearest picture.
    const top = [...detector.summary.alerts].sort((a, b) => b.score - a.score)[0];
    if (!top) throw new Error('the sample replay raised no alert');
    await page.setViewportSize({ width: 1280, height: 1500 });
    await page.goto(`${detector.url}/ui/#/alerts/${top.id}`);
    await page.waitForSelector('#view .grid canvas');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(DOCS, 'alert.png') });

    const profiles = new MemoryProfileStore();
    const alerts = new MemoryAlertStore();
    const history = new ScoreHistory();
    const files = [fileURLToPath(SAMPLE_LOG)];
    const summary = await replay({
      files,
      config: testConfig({ key_secret: 'screenshots-secret-0123456789' }),
      log: pino({ level: 'silent' }),
      onAlert: () => {},
      stores: { profiles, alerts, risk: history },
      sampleEvents: true,
    });
    const report = join(dir, 'report.html');
    await writeReport(report, { files, ...summary }, { profiles, alerts, history });
    const r = await watchedPage(browser, { width: 1280, height: 1500, dark });
    await r.page.goto(pathToFileURL(report).href);
    await r.page.waitForSelector('article.alert canvas');
    await r.page.waitForTimeout(300);
    await r.page.screenshot({ path: join(DOCS, 'report.png') });
    process.stdout.write(`wrote ${['dashboard.png', 'alert.png', 'report.png'].map((f) => join(DOCS, f)).join(', ')}\n`);
  } finally {
    await browser.close();
    await detector.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
