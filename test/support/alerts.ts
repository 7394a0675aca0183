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

