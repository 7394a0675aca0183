import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../contracts/index.js';
import { validateAlert } from '../../../contracts/index.js';
import { comparable, feed, harness, testConfig } from '../../support/detector-harness.js';
import { MemoryAlertStore } from '../../../detector/alerts/memory-alert-store.js';
import { MemoryProfileStore } from '../../../detector/profiles/memory-store.js';
import { DAY, distributedScraper, HOUR, key, read, SCRAPERS, T0, traffic } from '../../support/campaign-traffic.js';

const campaigns = (published: Alert[]) => published.filter((a) => a.kind === 'campaign');

describe('campaigns through the detector', () => {
  it('raises one campaign alert for five keys reading disjoint slices of one id space, listing exactly those keys', async () => {
    const scrapers = SCRAPERS;
    const events = traffic(distributedScraper);
    const { detector, published } = harness();
    await feed(detector, events, 8);
    await detector.finish();

    const found = campaigns(published);
    expect(found.length).toBeGreaterThan(0);
    // One campaign, one alert: later findings raise it or add to it, never repeat it.
    expect(new Set(found.map((a) => a.id)).size).toBe(1);
    expect(new Set(found.map((a) => a.key_id)).size).toBe(1);
    const last = found[found.length - 1] as Alert;
    expect(validateAlert(last)).toBe(true);
    expect(last.campaign?.members.map((m) => m.key_id).sort()).toEqual([...scrapers].sort());
    expect(last.campaign?.basis).toEqual(expect.arrayContaining(['asn', 'agent', 'id_space']));
    expect(last.campaign?.route).toBe('/v*/customers/{int}');
    for (const m of last.campaign?.members ?? []) expect(m.networks[0]).toMatch(/^198\.51\.\d+\.0\/24$/);
    // Detected once the slices were being read, not before, and within two days of it.
    expect(found[0]?.window.start).toBeGreaterThanOrEqual(T0 + 5 * DAY);
    expect(found[0]?.window.end).toBeLessThanOrEqual(T0 + 7 * DAY);
    const slices = found.flatMap((a) => a.reasons).find((x) => x.feature === 'campaign_slices');
    expect(slices?.text).toMatch(/^[2-5] keys each read a dense slice of \/v\*\/customers\/\{int\} that no other of them touched: ids 50,\d{3}–5\d,\d{3} \(\d+ % of them\)/);
    expect(last.reasons.map((x) => x.feature)).toContain('campaign_links');
    // No honest key is named by a campaign or a coverage alert, and no scraper alone stands out by coverage.
    const named = published.flatMap((a) => (a.campaign ? a.campaign.members.map((m) => m.key_id) : [a.key_id]));
    expect(named.filter((k) => !scrapers.includes(k) && k !== last.key_id)).toEqual([]);
    expect(published.filter((a) => a.kind === 'coverage')).toEqual([]);
  });

  it("flags a consumer whose new keys together read what none of them reads alone, against the consumer's own history", async () => {
    const consumer = 'c0'.repeat(16);
    const own = key('e', 0);
    const minted = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => key('e', i));
    const agents = ['curl/8.5.0', 'Go-http-client/2.0', 'axios/1.7.7', 'okhttp/4.12.0'];
    const events = traffic((day, r, out) => {
      // The consumer's own integration, every day; on day 6 at 02:00, eight new keys of the
      // consumer read 60 customers each, every key from its own network.
      for (let j = 0; j < 80; j++) out.push(read(own, T0 + day * DAY + (9 + r() * 8) * HOUR, 1 + Math.floor(r() * 300), '130.1.2.3', 'corp-erp/7.2', consumer));
      if (day !== 6) return;
      minted.forEach((k, i) => {
        for (let j = 0; j < 60; j++) out.push(read(k, T0 + day * DAY + (2 + r()) * HOUR, 1 + Math.floor(r() * 200_000), `${140 + i * 7}.${i}.9.1`, agents[i % 4] as string, consumer));
      });
    });
    const { detector, published } = harness();
    await feed(detector, events, 8);
    await detector.finish();

    const found = campaigns(published);
    expect(new Set(found.map((a) => a.id)).size).toBe(1);
    const first = found[0] as Alert;
    expect(first.key_id).toBe(consumer);
    expect(first.window).toEqual({ start: T0 + 6 * DAY + 2 * HOUR, end: T0 + 6 * DAY + 3 * HOUR });
    expect(first.campaign?.consumer_id).toBe(consumer);
    expect(first.campaign?.basis).toEqual(['consumer']);
    expect(first.campaign?.members.map((m) => m.key_id).sort()).toEqual([own, ...minted].sort());
    const reason = first.reasons.find((x) => x.feature === 'consumer_distinct_objects_24h');
    expect(reason?.text).toMatch(/^the consumer's 9 keys together: read \d+ distinct objects in 24 h; this consumer's usual: \d+$/);
    // None of the new keys is caught on its own.
    expect(published.filter((a) => a.kind !== 'campaign' && minted.includes(a.key_id))).toEqual([]);
  });

  it('keeps one campaign alert across a restart: the stage comes back from its stored state', async () => {
    const events = traffic(distributedScraper);
    const store = new MemoryProfileStore();
    const alerts = new MemoryAlertStore();
    const all = [...Array(8).keys()];
    const cut = T0 + 8 * DAY + 5 * HOUR;
    const first = harness({ store, alerts });
    await first.detector.init(all);
    await feed(first.detector, events.filter((e) => e.ts < cut), 8);
    const second = harness({ store, alerts });
    await second.detector.init(all);
    await feed(second.detector, events.filter((e) => e.ts >= cut), 8, 256, 1_000_000);
    await second.detector.finish();
    const found = campaigns([...first.published, ...second.published]);
    expect(campaigns(first.published).length).toBeGreaterThan(0);
    expect(new Set(found.map((a) => a.id)).size).toBe(1);
    expect((await alerts.list({}, 100, null)).alerts.filter((a) => a.kind === 'campaign')).toHaveLength(1);
  });

  it('gives the same alerts whatever the batch sizes (event time decides, not arrival)', async () => {
    const events = traffic(distributedScraper);
    const runs: Alert[][] = [];
    for (const batch of [64, 1000]) {
      const { detector, published } = harness({ config: testConfig(), store: new MemoryProfileStore() });
      await feed(detector, events, 8, batch);
      await detector.finish();
      // Every window reached the stage before its period was taken, however far partitions drifted apart.
      expect(detector.campaigns?.metrics.late).toBe(0);
      expect(detector.campaigns?.metrics.windows).toBeGreaterThan(5000);
      runs.push(published.filter((a) => a.kind !== 'behaviour'));
    }
    expect(runs[0]?.length).toBeGreaterThan(0);
    expect(comparable(runs[0] as Alert[])).toEqual(comparable(runs[1] as Alert[]));
  });
});
