/**
 * Alerts as Elastic Common Schema documents, checked field by field against Elastic's published ECS
 * definitions (`EcsFlat` of @elastic/ecs); and the checker refuses what ECS refuses.
 */
import { EcsVersion } from '@elastic/ecs';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../contracts/index.js';
import { ECS_VERSION, toEcs } from '../../../../detector/encode/ecs.js';
import { deliveryId } from '../../../../detector/webhooks/outbox.js';
import { makeAlert } from '../../../support/alerts.js';
import { ecsProblems } from '../../../support/ecs-check.js';

const base: Alert = {
  ...makeAlert(3),
  created_at: 1_793_600_000_000,
  updated_at: 1_793_600_000_000,
  reasons: [{ feature: 'distinct_objects_24h', value: 812, baseline: 14, text: "read 812 distinct objects in 24 h; this key's usual: 14" }],
};

const doc = (a: Alert) => toEcs(a) as unknown as Record<string, unknown>;

describe('ECS document', () => {
  it('follows the ECS version whose definitions the test checks against', () => {
    expect(ECS_VERSION).toBe(EcsVersion);
  });

  it.each([
    ['open', base],
    ['raised', { ...base, updated_at: base.created_at + 1 }],
    ['false positive', { ...base, status: 'false_positive', updated_at: base.created_at + 1, feedback: { verdict: 'false_positive', note: 'batch', at: base.created_at + 1 } }],
    ['without reasons', { ...base, reasons: [] }],
  ] as Array<[string, Alert]>)('%s: every field is an ECS field of its ECS type and allowed values', (_name, alert) => {
    expect(ecsProblems(doc(alert), 'lowslow')).toEqual([]);
  });

  it('is an alert of the API and intrusion-detection categories, with severity, rule, entity and times', () => {
    const e = toEcs({ ...base, updated_at: base.created_at + 1 });
    expect(e.event).toMatchObject({ kind: 'alert', category: ['api', 'intrusion_detection'], type: ['info'], action: 'alert-updated', severity: 99, risk_score: 90 });
    expect(e.event.id).toBe(deliveryId({ ...base, updated_at: base.created_at + 1 }));
    expect(e['@timestamp']).toBe(new Date(base.created_at + 1).toISOString());
    expect([e.event.start, e.event.end]).toEqual([new Date(base.window.start).toISOString(), new Date(base.window.end).toISOString()]);
    expect(e.event.duration).toBe(3_600_000 * 1_000_000);
    expect(e.rule).toMatchObject({ id: 'behaviour', version: 'rules-1' });
    expect(e.entity).toMatchObject({ id: base.key_id, sub_type: 'api_key' });
    expect(e.event.reason).toBe(base.reasons[0]?.text);
    expect(e.lowslow).toMatchObject({ alert_id: base.id, reasons: base.reasons, evidence: base.evidence });
    expect((['low', 'medium', 'high', 'critical'] as const).map((severity) => toEcs({ ...base, severity }).event.severity)).toEqual([21, 47, 73, 99]);
  });

  it('the checker refuses what ECS refuses', () => {
    const d = doc(base);
    const event = d.event as Record<string, unknown>;
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['a field ECS does not define', { ...d, alert: { key: 'x' } }, /alert\.key: not an ECS field/],
      ['an event.kind ECS does not allow', { ...d, event: { ...event, kind: 'alarm' } }, /event\.kind: "alarm" is not one of/],
      ['a type the category does not expect', { ...d, event: { ...event, type: ['indicator'] } }, /event\.type: indicator is not a type event\.category api expects/],
      ['a scalar where ECS wants an array', { ...d, event: { ...event, category: 'api' } }, /event\.category: must be an array/],
      ['a date that is not ISO 8601', { ...d, '@timestamp': 1_793_600_000_000 }, /@timestamp: must be an ISO 8601 date/],
      ['a long that is not an integer', { ...d, event: { ...event, severity: 73.5 } }, /event\.severity: must be an integer/],
      ['no ecs.version', Object.fromEntries(Object.entries(d).filter(([k]) => k !== 'ecs')), /ecs\.version: required by ECS/],
      ['another ECS version', { ...d, ecs: { version: '1.0.0' } }, /ecs\.version: 1\.0\.0, but the definitions checked are ECS/],
      ['a label that is not a keyword', { ...d, labels: { n: 3 } }, /labels\.n: must be a string/],
      ['an ECS field set as the custom namespace', d, /event: is an ECS field set/],
    ];
    for (const [what, x, problem] of cases) expect(ecsProblems(x, what === 'an ECS field set as the custom namespace' ? 'event' : 'lowslow').join('\n'), what).toMatch(problem);
  });
});
