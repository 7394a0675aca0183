/**
 * `lowslow replay --report`: the CLI replays the simulator's bundled week and writes one HTML
 * file; headless Chromium opens it from disk with no network and every alert's charts render.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../contracts/index.js';
import { progressLine } from '../../bin/progress-bar.js';
import { launchChromium, watchedPage } from '../support/chromium.js';
import { runCli } from '../support/cli.js';
import { SAMPLE_LOG } from '../support/sample-events.js';

let dir: string;
let browser: Browser;
let stderr: string;
let alerts: Alert[];
const env = { LOWSLOW_KEY_SECRET: 'report-test-secret-0123456789' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lowslow-report-'));
  const cli = runCli(['replay', fileURLToPath(SAMPLE_LOG), '--report', join(dir, 'report.html'), '--alerts-out', join(dir, 'alerts.jsonl')], env);
  const [code] = await Promise.all([cli.exited, launchChromium().then((b) => (browser = b))]);
  stderr = cli.stderr();
  expect(code, stderr).toBe(0);
  alerts = (await readFile(join(dir, 'alerts.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Alert);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('replay report', () => {
  it('writes one self-contained file: no script, style or data comes from elsewhere', async () => {
    expect(stderr).toContain(`report written to ${join(dir, 'report.html')}`);
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    expect(html).not.toMatch(/https?:\/\/(?!lowslow\.dev|www\.w3\.org|github\.com|chartjs)[a-z0-9.-]+\/[^"'\s]*\.(js|css|json)/i);
    expect(html).toContain('Chart.js v4');
    expect(html).toContain('chartjs-chart-matrix');
  });

  it('opens from disk with the run figures, a summary row and rendered charts for every alert', async () => {
    expect(alerts.length).toBeGreaterThan(0);
    const { page, errors } = await watchedPage(browser);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(join(dir, 'report.html')).href;
    await page.goto(url);
    await page.waitForSelector('article.alert canvas');
    expect(requests.filter((u) => u !== url)).toEqual([]);

    const figures = await page.$$eval('[data-figure]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-figure'), (e.querySelector('b')?.textContent ?? '').replace(/,/g, '')])));
    const m = /replayed (\d+) lines \((\d+) events, (\d+) rejected\).*: (\d+) keys, (\d+) windows, (\d+) alert/.exec(stderr);
    expect(m, stderr).not.toBeNull();
    const [, lines, events, rejected, keys, windows, count] = m as RegExpExecArray;
    expect(figures).toMatchObject({ lines, events, rejected, keys, windows, alerts: count });
    expect(Number(figures.seconds)).toBeGreaterThan(0);

    expect(await page.$$eval('table.summary tbody tr', (r) => r.length)).toBe(alerts.length);
    const articles = await page.$$eval('article.alert', (els) => els.map((e) => e.id));
    expect(articles.sort()).toEqual(alerts.map((a) => `alert-${a.id}`).sort());
    for (const a of alerts) {
      // Browser-side code is given as text: the project's TypeScript has no DOM library.
      const sizes = await page.evaluate<number[]>(`[...document.querySelectorAll('#alert-${a.id} canvas')].map((c) => c.width * c.height)`);
      // One chart per reason, then the timeline, the heatmap and the routes.
      expect(sizes).toHaveLength(a.reasons.length + 3);
      for (const s of sizes) expect(s).toBeGreaterThan(0);
      // The sample events were found in the log and shown, not only their ids.
      const rows = await page.$$eval(`#alert-${a.id} table.events tbody tr`, (r) => r.map((x) => x.textContent ?? ''));
      expect(rows).toHaveLength(a.evidence.sample_event_ids.length);
      for (const r of rows) expect(r).not.toContain('not found');
    }
    // Charts drew pixels, not only sized canvases: the timeline has more than one colour.
    const first = alerts[0] as Alert;
    const colours = await page.evaluate<number>(`(() => {
      const cv = document.querySelector('#alert-${first.id} .grid canvas');
      const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
      const seen = new Set();
      for (let i = 0; i < d.length; i += 16) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      return seen.size;
    })()`);
    expect(colours).toBeGreaterThan(3);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('draws no progress bar when stderr is not a terminal, and a bar with lines/s and ETA on one', () => {
    expect(stderr).not.toContain('\r');
    expect(stderr).not.toContain('ETA');
    const line = progressLine({ lines: 500_000, bytes: 25, totalBytes: 100, seconds: 10 }, 120);
    expect(line).toContain('25 %');
    expect(line).toContain('50,000 lines/s');
    expect(line).toContain('ETA 00:30');
  });
});
