/** Synthetic alerts for API and store tests. */
import type { Alert } from '../../contracts/index.js';
import { alertId } from '../../detector/alerts/decide.js';

export const KEYS = ['a'.repeat(32), 'b'.repeat(32)];
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

export function makeAlert(i: number): Alert {
  const key = KEYS[i % 2] as string;
  const start = Date.UTC(2026, 10, 2) + i * 3_600_000;
  return {
    v: 1,
    id: alertId(key, 'behaviour', start),
    created_at: 1,
    updated_at: 1,
    event_time: start + 3_600_000 + (i % 3 === 0 ? 0 : 1),
    key_id: key,
    kind: 'behaviour',
    severity: SEVERITIES[i % 4] as Alert['severity'],
    score: 0.9,
    threshold: 0.6,
    model_version: 'rules-1',
    window: { start, end: start + 3_600_000 },
    reasons: [{ feature: 'sequential_share', value: 0.9, baseline: 0, text: '90 % sequential' }],
    evidence: { requests: 10, distinct_objects: 10, routes: [{ route: '/v1/x/{int}', count: 10 }], networks: ['10.0.0.0/24'], sample_event_ids: ['e1'] },
    source: { gateway: i % 5 === 0 ? 'envoy' : 'nginx', hosts: ['h'] },
    status: 'open',
  };
}


/** A campaign alert: three keys from one provider block reading slices of one id space. */
export function makeCampaignAlert(): Alert {
  const id = 'c'.repeat(32);
  const start = Date.UTC(2026, 10, 9, 3);
  const members = ['d1', 'd2', 'd3'].map((k, i) => ({ key_id: k.padStart(32, '0'), networks: [`198.51.${10 * (i + 1)}.0/24`], distinct_objects: 3_400 + i * 100, share: 0.036 + i * 0.001 }));
  return {
    v: 1,
    id: alertId(id, 'campaign', start),
    created_at: 1_793_600_000_000,
    updated_at: 1_793_600_000_000,
    event_time: start + 3_600_000,
    key_id: id,
    kind: 'campaign',
    severity: 'medium',
    score: 0.74,
    threshold: 0.6,
    model_version: 'rules-1',
    window: { start, end: start + 3_600_000 },
    reasons: [
      { feature: 'campaign_distinct_24h', value: 3_100, baseline: 1_280, text: '3 keys together read 3,100 distinct objects in 24 h; the 99th percentile of keys: 1,280' },
      { feature: 'campaign_links', value: 3, baseline: 1, text: "the 3 keys share a provider's address block (198.51.0.0/16), a user agent and the same mix of routes" },
    ],
    evidence: { requests: 75, distinct_objects: 10_500, routes: [{ route: '/v1/customers/{int}', count: 75 }], networks: members.map((m) => m.networks[0] as string), sample_event_ids: ['e1', 'e2'] },
    source: { gateway: 'kong', hosts: [] },
    status: 'open',
    campaign: { id, basis: ['asn', 'agent', 'route_shape', 'id_space'], route: '/v*/customers/{int}', coverage: 0.11, members },
  };
}
