/**
 * Alerts as OCSF 1.3.0 Detection Findings, checked against the checked-in schema derived from the
 * OCSF 1.3.0 export (contracts/ocsf-1.3.0-detection-finding.json) plus OCSF's sibling and type_uid
 * rules; and the checker itself refuses what OCSF refuses.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../contracts/index.js';
import { toOcsf } from '../../../../detector/encode/ocsf.js';
import { deliveryId } from '../../../../detector/webhooks/outbox.js';
import { makeAlert } from '../../../support/alerts.js';
import { ocsfProblems } from '../../../support/ocsf-check.js';

const base: Alert = {
  ...makeAlert(2),
  created_at: 1_793_600_000_000,
  updated_at: 1_793_600_000_000,
  reasons: [
    { feature: 'sequential_share', value: 0.96, baseline: 0, text: '96 % of requests walked object ids in sequence (/v1/customers/{int})' },
    { feature: 'new_network_share', value: 1, baseline: 0, text: '100 % of requests came from networks this key never used (201.125.176.0/24)' },
  ],
  evidence: {
    requests: 812,
    distinct_objects: 790,
    routes: [
      { route: '/v1/customers/{int}', count: 800 },
      { route: '/v1/orders', count: 12 },
    ],
    networks: ['201.125.176.0/24', '2001:db8:1::/48'],
    sample_event_ids: ['ev-1', 'ev-2'],
  },
};

/** Every shape an alert takes: each severity and status, a verdict with a note, no reasons at all. */
const variants: Array<[string, Alert]> = [
  ...(['low', 'medium', 'high', 'critical'] as const).map((severity): [string, Alert] => [`severity ${severity}`, { ...base, severity }]),
  ['acknowledged', { ...base, status: 'acknowledged', updated_at: base.created_at + 60_000 }],
  ['resolved', { ...base, status: 'resolved', updated_at: base.created_at + 60_000 }],
  ['false positive with a note', { ...base, status: 'false_positive', updated_at: base.created_at + 1, feedback: { verdict: 'false_positive', note: 'nightly batch job', at: base.created_at + 1 } }],
  ['true positive', { ...base, feedback: { verdict: 'true_positive', note: '', at: base.created_at + 1 }, updated_at: base.created_at + 1 }],
  ['no reasons, no networks', { ...base, reasons: [], evidence: { ...base.evidence, networks: [], routes: [] } }],
];

describe('OCSF Detection Finding', () => {
  it.each(variants)('%s: satisfies class 2004 of OCSF 1.3.0 (attributes, required, types, enums, captions, type_uid)', (_name, alert) => {
    expect(ocsfProblems(toOcsf(alert))).toEqual([]);
  });

  it('classifies: Findings / Detection Finding, severities and statuses mapped to OCSF ids', () => {
    const f = toOcsf(base);
    expect(f).toMatchObject({ class_uid: 2004, category_uid: 2, activity_id: 1, type_uid: 200401, severity_id: 4, status_id: 1, risk_score: 90, risk_level_id: 3 });
    expect((['low', 'medium', 'high', 'critical'] as const).map((severity) => toOcsf({ ...base, severity }).severity_id)).toEqual([2, 3, 4, 5]);
    const status = (s: Alert['status']) => toOcsf({ ...base, status: s, updated_at: base.created_at + 1 });
    expect([status('open'), status('acknowledged'), status('false_positive'), status('resolved')].map((x) => [x.status_id, x.activity_id])).toEqual([
      [1, 2],
      [2, 2],
      [3, 3],
      [4, 3],
    ]);
  });

  it('carries the finding info, times, key_id, routes, networks, reasons and the revision id', () => {
    const f = toOcsf({ ...base, updated_at: base.created_at + 5000 });
    expect(f.finding_info).toMatchObject({
      uid: base.id,
      created_time: base.created_at,
      modified_time: base.created_at + 5000,
      first_seen_time: base.window.start,
      last_seen_time: base.window.end,
      types: ['API Abuse', 'sequential_share', 'new_network_share'],
    });
    expect(f.finding_info.desc).toContain('walked object ids in sequence');
    expect(f.time).toBe(base.created_at + 5000);
    expect(f.metadata).toMatchObject({ version: '1.3.0', product: { name: 'lowslow', vendor_name: 'lowslow' }, uid: deliveryId({ ...base, updated_at: base.created_at + 5000 }), correlation_uid: base.id });
    expect(f.observables).toContainEqual({ name: 'resources.uid', type_id: 19, type: 'User Credential ID', value: base.key_id });
    expect(f.observables?.filter((o) => o.type_id === 12).map((o) => o.value)).toEqual(base.evidence.networks);
    expect(f.resources?.[0]).toMatchObject({ uid: base.key_id, type: 'API Key' });
    expect(f.resources?.slice(1).map((r) => [r.name, (r.data as { requests: number }).requests])).toEqual([
      ['/v1/customers/{int}', 800],
      ['/v1/orders', 12],
    ]);
    const reasons = f.evidences?.slice(1).map((e) => e.data);
    expect(reasons).toEqual(base.reasons.map((r) => ({ reason: r.feature, value: r.value, baseline: r.baseline, text: r.text })));
    expect(f.evidences?.[0]?.data).toMatchObject({ key_id: base.key_id, requests: 812, sample_event_ids: ['ev-1', 'ev-2'] });
    expect(f.count).toBe(812);
  });

  it('a new revision of the same alert is a new event of the same finding', () => {
    const a = toOcsf(base);
    const b = toOcsf({ ...base, severity: 'critical', updated_at: base.created_at + 3_600_000 });
    expect(b.finding_info.uid).toBe(a.finding_info.uid);
    expect(b.metadata.uid).not.toBe(a.metadata.uid);
    expect([a.activity_name, b.activity_name]).toEqual(['Create', 'Update']);
  });

  it('the checker refuses what OCSF refuses', () => {
    const f = toOcsf(base) as unknown as Record<string, unknown>;
    const info = f.finding_info as Record<string, unknown>;
    const without = (o: Record<string, unknown>, k: string) => Object.fromEntries(Object.entries(o).filter(([x]) => x !== k));
    const cases: Array<[string, unknown, RegExp]> = [
      ['an attribute class 2004 does not define', { ...f, api_key: 'x' }, /additional properties.*api_key/],
      ['a profile attribute without its profile', { ...f, cloud: { provider: 'aws' } }, /additional properties.*cloud/],
      ['no finding_info', without(f, 'finding_info'), /required.*finding_info/],
      ['a finding without a title', { ...f, finding_info: without(info, 'title') }, /required.*title/],
      ['a severity id OCSF does not list', { ...f, severity_id: 7 }, /severity_id/],
      ['another class', { ...f, class_uid: 2001 }, /class_uid/],
      ['a time as text', { ...f, time: '2026-11-05T13:00:00Z' }, /time must be integer/],
      ['a caption that does not match its id', { ...f, severity: 'Low' }, /severity: "Low" is not the caption of severity_id 4/],
      ['a type_uid of another activity', { ...f, type_uid: 200403, type_name: 'Detection Finding: Close' }, /type_uid: 200403 is not class_uid \* 100 \+ activity_id/],
      ['an observable of unknown type', { ...f, observables: [{ name: 'x', type_id: 31 }] }, /observables\/0\/type_id/],
      ['a resource with neither name nor uid', { ...f, resources: [{ type: 'API Key' }] }, /resources\/0 must have required property/],
      ['metadata without the OCSF version', { ...f, metadata: without(f.metadata as Record<string, unknown>, 'version') }, /required.*version/],
    ];
    for (const [what, doc, problem] of cases) expect(ocsfProblems(doc).join('\n'), what).toMatch(problem);
  });
});
