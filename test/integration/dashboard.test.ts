/**
 * The dashboard in headless Chromium against a detector fed by the simulator's bundled week:
 * the token form, the alert list and its filters, live updates, an alert's charts, acknowledge
 * and feedback (checked through the API), keys by risk, a narrow screen and dark mode.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../contracts/index.js';
import { makeAlert } from '../support/alerts.js';
import { launchChromium, watchedPage } from '../support/chromium.js';
import { ADMIN_TOKEN, READ_TOKEN, startDashboardDetector, type DashboardDetector } from '../support/dashboard-detector.js';

let detector: DashboardDetector;
let browser: Browser;

beforeAll(async () => {
  [detector, browser] = await Promise.all([startDashboardDetector(), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await detector?.stop();
});

async function apiGet<T>(path: string): Promise<T> {
  const r = await fetch(`${detector.url}${path}`, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
  expect(r.status).toBe(200);
  return (await r.json()) as T;
}

/** The only console error allowed: the 401 of the first call, before a token is entered. */
const unexpected = (errors: string[]) => errors.filter((e) => !/status of 401/.test(e));

async function signIn(page: Page, token = ADMIN_TOKEN): Promise<void> {
  await page.goto(`${detector.url}/ui/`);
  await page.fill('input[name=token]', token);
  await page.click('form.token button[type=submit]');
  await page.waitForSelector('tr[data-alert]');
}

async function canvasSizes(page: Page, scope: string): Promise<Array<{ w: number; h: number }>> {
  // Browser-side code is given as text: the project's TypeScript has no DOM library.
  return page.evaluate(`[...document.querySelectorAll(${JSON.stringify(`${scope} canvas`)})].map((c) => ({ w: c.width, h: c.height }))`);
}

describe('dashboard', () => {
  it('serves its pages and the named chart builds without a token, and nothing else from node_modules', async () => {
    for (const path of ['/ui/', '/ui/app.js', '/ui/charts.js', '/ui/vendor/chart.umd.min.js', '/ui/vendor/chartjs-chart-matrix.min.js']) {
      expect((await fetch(`${detector.url}${path}`)).status, path).toBe(200);
    }
    for (const path of ['/ui/vendor/chart.cjs', '/ui/vendor/../package.json', '/ui/vendor/%2e%2e/package.json', '/ui/../package.json']) {
      expect((await fetch(`${detector.url}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`${detector.url}/v1/alerts`)).status).toBe(401);
  });

  it('asks for a token, lists the replayed alerts, opens one with its charts and acknowledges it', async () => {
    expect(detector.summary.alerts.length).toBeGreaterThan(0);
    const { page, errors } = await watchedPage(browser);
    await page.goto(`${detector.url}/ui/`);
    await page.waitForSelector('form.token input[name=token]');
    await signIn(page);
    const listed = await page.$$eval('tr[data-alert]', (rows) => rows.map((r) => r.getAttribute('data-alert')));
    const { alerts } = await apiGet<{ alerts: Alert[] }>('/v1/alerts?limit=50');
    expect(listed).toEqual(alerts.map((a) => a.id));

    const target = alerts.find((a) => a.status === 'open') as Alert;
    await page.click(`tr[data-alert="${target.id}"]`);
    await page.waitForSelector('.alert-head');
    expect(await page.textContent('.alert-head code.key')).toBe(target.key_id);
    // Every reason is shown with its value beside the baseline, each with its own chart.
    const reasons = await page.$$eval('.reason', (els) => els.map((e) => e.textContent ?? ''));
    expect(reasons).toHaveLength(target.reasons.length);
    for (const [i, r] of target.reasons.entries()) expect(reasons[i]).toContain(r.text);
    // Reasons, timeline, heatmap and routes: drawn canvases with a size.
    const sizes = await canvasSizes(page, '#view');
    expect(sizes.length).toBe(target.reasons.length + 3);
    for (const s of sizes) expect(s.w * s.h).toBeGreaterThan(0);
    expect(await page.textContent('.alert-head')).toContain('open');

    await page.click('button[data-action=ack]');
    await page.waitForSelector('.alert-head .status-acknowledged');
    expect(await page.textContent('[role=status]')).toContain('acknowledged');
    const after = await apiGet<Alert>(`/v1/alerts/${target.id}`);
    expect(after.status).toBe('acknowledged');
    expect(await page.isDisabled('button[data-action=ack]')).toBe(true);
    expect(unexpected(errors)).toEqual([]);
    await page.context().close();
  });

  it('records a false-positive verdict with its note', async () => {
    const { page, errors } = await watchedPage(browser);
    await signIn(page);
    const { alerts } = await apiGet<{ alerts: Alert[] }>('/v1/alerts?status=open&limit=50');
    const target = alerts[0] as Alert;
    await page.goto(`${detector.url}/ui/#/alerts/${target.id}`);
    await page.waitForSelector('.alert-head');
    await page.fill('textarea[name=note]', 'partner backfill, agreed with them');
    await page.click('button[data-action=false_positive]');
    await page.waitForSelector('.alert-head .status-false_positive');
    const after = await apiGet<Alert>(`/v1/alerts/${target.id}`);
    expect(after.status).toBe('false_positive');
    expect(after.feedback).toMatchObject({ verdict: 'false_positive', note: 'partner backfill, agreed with them' });
    expect(unexpected(errors)).toEqual([]);
    await page.context().close();
  });

  it('refuses the feedback buttons to a read token and says why', async () => {
    const { page } = await watchedPage(browser);
    await signIn(page, READ_TOKEN);
    const { alerts } = await apiGet<{ alerts: Alert[] }>('/v1/alerts?status=open&limit=50');
    const target = alerts[0] as Alert;
    await page.goto(`${detector.url}/ui/#/alerts/${target.id}`);
    await page.waitForSelector('.alert-head');
    await page.click('button[data-action=ack]');
    await page.waitForSelector('.message.error');
    expect(await page.textContent('.message.error')).toContain('admin token');
    expect((await apiGet<Alert>(`/v1/alerts/${target.id}`)).status).toBe('open');
    await page.context().close();
  });

  it('filters by severity and status, and shows a new alert without a reload', async () => {
    const { page, errors } = await watchedPage(browser);
    await signIn(page);
    const severity = detector.summary.alerts[0]?.severity as Alert['severity'];
    await page.selectOption('select[name=severity]', severity);
    await page.click('form.filters button[type=submit]');
    await page.waitForFunction(`location.hash.includes('severity=${severity}')`);
    await page.waitForSelector(`tr[data-alert] .sev-${severity}`);
    const { alerts } = await apiGet<{ alerts: Alert[] }>(`/v1/alerts?severity=${severity}&limit=50`);
    await page.waitForFunction(`document.querySelectorAll('tr[data-alert]').length === ${alerts.length}`);
    const sevs = await page.$$eval('tr[data-alert] td:nth-child(1) .badge', (b) => b.map((x) => x.textContent));
    expect(new Set(sevs)).toEqual(new Set([severity]));

    // A new alert of that severity appears by polling.
    const fresh = { ...makeAlert(severity === 'low' ? 0 : severity === 'medium' ? 1 : severity === 'high' ? 2 : 3), status: 'open' as const };
    await detector.alerts.put(fresh);
    await page.waitForSelector(`tr[data-alert="${fresh.id}"]`, { timeout: 15_000 });

    await page.goto(`${detector.url}/ui/#/alerts?status=acknowledged`);
    await page.waitForFunction(`document.querySelectorAll('tr[data-alert] .status-acknowledged').length > 0`);
    const statuses = await page.$$eval('tr[data-alert] td:nth-child(2) .badge', (b) => b.map((x) => x.textContent));
    expect(new Set(statuses)).toEqual(new Set(['acknowledged']));
    expect(unexpected(errors)).toEqual([]);
    await page.context().close();
  });

  it('ranks keys by risk as the API does and draws the ranking', async () => {
    const { page, errors } = await watchedPage(browser);
    await signIn(page);
    await page.click('a[data-nav=keys]');
    await page.waitForSelector('tr[data-key]');
    const shown = await page.$$eval('tr[data-key]', (rows) => rows.map((r) => r.getAttribute('data-key')));
    const { keys } = await apiGet<{ keys: Array<{ key_id: string }> }>('/v1/keys?limit=100');
    expect(shown).toEqual(keys.map((k) => k.key_id));
    for (const s of await canvasSizes(page, '#view')) expect(s.w * s.h).toBeGreaterThan(0);
    await page.click(`tr[data-key="${keys[0]?.key_id}"]`);
    await page.waitForSelector('#view .grid canvas');
    const sizes = await canvasSizes(page, '#view');
    expect(sizes).toHaveLength(3);
    for (const s of sizes) expect(s.w * s.h).toBeGreaterThan(0);
    expect(unexpected(errors)).toEqual([]);
    await page.context().close();
  });

  it('fits a narrow screen and follows dark mode', async () => {
    const { page, errors } = await watchedPage(browser, { width: 390, height: 844, dark: true });
    await signIn(page);
    const id = detector.summary.alerts[0]?.id as string;
    await page.goto(`${detector.url}/ui/#/alerts/${id}`);
    await page.waitForSelector('.alert-head');
    await page.waitForSelector('#view .grid canvas');
    const layout = await page.evaluate<{ scroll: number; width: number; bg: string; widest: number }>(`({
      scroll: document.documentElement.scrollWidth,
      width: window.innerWidth,
      bg: getComputedStyle(document.body).backgroundColor,
      widest: Math.max(...[...document.querySelectorAll('#view canvas')].map((c) => c.getBoundingClientRect().right)),
    })`);
    expect(layout.scroll).toBeLessThanOrEqual(layout.width);
    expect(layout.widest).toBeLessThanOrEqual(layout.width);
    const [r, g, b] = (layout.bg.match(/\d+/g) ?? []).map(Number) as [number, number, number];
    expect(r + g + b).toBeLessThan(150);
    expect(unexpected(errors)).toEqual([]);
    await page.context().close();
  });
});
