import { describe, expect, it } from 'vitest';
import { campaignCoverageReason, campaignVolumeReason, coverageReason, linkReason, pct } from '../../../../detector/campaigns/explain.js';

describe('coverage and campaign reasons', () => {
  it('say how much of the id space the key read, beside the population\'s 99th percentile', () => {
    const r = coverageReason({ route: '/v*/orders/{int}', own: 7_612.4, own7: 1_480, space: 20_031, share: 0.38, p99: 0.004, q: 0.99 });
    expect(r).toEqual({
      feature: 'coverage_30d',
      value: 0.38,
      baseline: 0.004,
      text: 'this key has read 38 % of /v*/orders/{int} in 30 days (7,612 of the ~20,031 ids all keys read there; 1,480 in the last 7 days); the 99th percentile of other keys: 0.4 %',
    });
    // On a route few keys read, the percentile is lower.
    expect(coverageReason({ route: '/v*/accounts/{int}', own: 1_200, own7: 1_200, space: 4_000, share: 0.3, p99: 0.05, q: 0.95 }).text).toBe(
      'this key has read 30 % of /v*/accounts/{int} in 30 days (1,200 of the ~4,000 ids all keys read there; 1,200 in the last 7 days); the 95th percentile of other keys: 5.0 %',
    );
  });

  it('write shares as people do: whole percents from 10 %, one decimal below, two below 0.1 %', () => {
    expect([pct(0.38), pct(0.1), pct(0.0412), pct(0.004), pct(0.00042)]).toEqual(['38 %', '10 %', '4.1 %', '0.4 %', '0.04 %']);
  });

  it("name a campaign's members, their slices and what links them", () => {
    const c = campaignCoverageReason({ route: '/v*/customers/{int}', own: 18_200, own7: 9_000, space: 95_000, share: 0.19, p99: 0.069, q: 0.98, members: 5, shares: [0.035, 0.041, 0.038], disjoint: true });
    expect(c.text).toBe(
      '5 keys read disjoint slices of /v*/customers/{int}: together 19 % of its ids in 30 days (18,200 of ~95,000; each key 3.5 % to 4.1 %); the 98th percentile of other keys: 6.9 %',
    );
    expect(campaignVolumeReason(5, 3_100.4, 1_280).text).toBe('5 keys together read 3,100 distinct objects in 24 h; the 99th percentile of keys: 1,280');
    expect(linkReason(5, ['asn', 'agent', 'route_shape', 'id_space'], { network: [], asn: ['198.51.0.0/16'] }).text).toBe(
      "the 5 keys share a provider's address block (198.51.0.0/16), a user agent, the same mix of routes and one id space, in slices that do not overlap",
    );
  });
});
