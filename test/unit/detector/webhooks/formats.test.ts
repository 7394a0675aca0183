import { describe, expect, it } from 'vitest';
import { validateAlert, type Alert } from '../../../../contracts/index.js';
import { FORMATS } from '../../../../detector/webhooks/formats/index.js';
import { slackText } from '../../../../detector/webhooks/formats/slack.js';
import { SIGNATURE_HEADER, signatureHeader, verifySignature } from '../../../../detector/webhooks/sign.js';
import type { WebhookTarget } from '../../../../detector/webhooks/target.js';
import { accepts, missingForFormat } from '../../../../detector/webhooks/target.js';
import { makeAlert } from '../../../support/alerts.js';
import { ecsProblems } from '../../../support/ecs-check.js';
import { ocsfProblems } from '../../../support/ocsf-check.js';

const SECRET = 'canary-signing-secret-7f3a9c';
const NOW = Date.UTC(2026, 10, 5, 12);
const target = (over: Partial<WebhookTarget> = {}): WebhookTarget => ({
  name: 't',
  url: 'https://siem.example.com/hook',
  format: 'generic',
  secret: SECRET,
  min_severity: 'low',
  gateways: [],
  origin: 'config',
  ...over,
});

describe('webhook signature', () => {
  const body = JSON.stringify(makeAlert(3));
  const header = signatureHeader(SECRET, body, NOW);

  it('signs timestamp and body, and a receiver verifies it', () => {
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(SECRET, header, body, NOW + 10_000)).toBe(true);
  });

  it('refuses a changed body, a changed timestamp, another secret and a replay outside the tolerance', () => {
    expect(verifySignature(SECRET, header, body.replace('"score":0.9', '"score":0.1'), NOW)).toBe(false);
    const t = Math.floor(NOW / 1000);
    expect(verifySignature(SECRET, header.replace(`t=${t}`, `t=${t + 1}`), body, NOW)).toBe(false);
    expect(verifySignature('another-secret-0123456789', header, body, NOW)).toBe(false);
    expect(verifySignature(SECRET, header, body, NOW + 301_000)).toBe(false);
    expect(verifySignature(SECRET, undefined, body, NOW)).toBe(false);
    expect(verifySignature(SECRET, 'v1=abc', body, NOW)).toBe(false);
  });
});

describe('webhook formats', () => {
  const alert: Alert = { ...makeAlert(2), reasons: [{ feature: 'requests', value: 900, baseline: 10, text: '900 requests in one window; <this> & that' }] };

  it('generic: the Alert v1 JSON, signed', () => {
    const r = FORMATS.generic(alert, target(), NOW);
    expect(validateAlert(JSON.parse(r.body))).toBe(true);
    expect(r.headers['content-type']).toBe('application/json');
    expect(verifySignature(SECRET, r.headers[SIGNATURE_HEADER], r.body, NOW)).toBe(true);
  });

  it('splunk: HEC event envelope with Authorization: Splunk <token>', () => {
    const r = FORMATS.splunk(alert, target({ format: 'splunk' }), NOW);
    expect(r.headers.authorization).toBe(`Splunk ${SECRET}`);
    const env = JSON.parse(r.body) as { time: number; host: string; source: string; sourcetype: string; event: Alert };
    expect(env.time).toBe(alert.event_time / 1000);
    expect(env).toMatchObject({ host: 'h', source: 'lowslow', sourcetype: 'lowslow:alert' });
    expect(validateAlert(env.event)).toBe(true);
  });

  it('slack: readable text naming severity, key, gateway and every reason, escaped for mrkdwn', () => {
    const r = FORMATS.slack(alert, target({ format: 'slack', secret: undefined }), NOW);
    const { text } = JSON.parse(r.body) as { text: string };
    expect(Object.keys(JSON.parse(r.body))).toEqual(['text']);
    expect(text).toContain('*HIGH*');
    expect(text).toContain(alert.key_id);
    expect(text).toContain('on nginx');
    expect(text).toContain('• 900 requests in one window; &lt;this&gt; &amp; that');
    expect(text).toContain(alert.id);
    expect(slackText({ ...alert, status: 'false_positive', feedback: { verdict: 'false_positive', note: 'batch job', at: 1 } })).toMatch(/false positive[\s\S]*verdict: false positive — batch job/);
  });

  it('filters by minimum severity and gateways', () => {
    const a = makeAlert(1); // medium, nginx
    expect(accepts(target(), a)).toBe(true);
    expect(accepts(target({ min_severity: 'medium' }), a)).toBe(true);
    expect(accepts(target({ min_severity: 'high' }), a)).toBe(false);
    expect(accepts(target({ gateways: ['envoy'] }), a)).toBe(false);
    expect(accepts(target({ gateways: ['envoy', 'nginx'] }), a)).toBe(true);
  });
});

describe('SIEM webhook formats', () => {
  const alert = makeAlert(3);

  it('ocsf: an OCSF Detection Finding, signed with the secret like generic', () => {
    const r = FORMATS.ocsf(alert, target({ format: 'ocsf' }), NOW);
    const f = JSON.parse(r.body) as { class_uid: number; finding_info: { uid: string } };
    expect(ocsfProblems(f)).toEqual([]);
    expect(f.finding_info.uid).toBe(alert.id);
    expect(verifySignature(SECRET, r.headers[SIGNATURE_HEADER], r.body, NOW)).toBe(true);
  });

  it('ecs: an ECS document, unsigned when the target has no secret', () => {
    const r = FORMATS.ecs(alert, target({ format: 'ecs', secret: undefined }), NOW);
    expect(ecsProblems(JSON.parse(r.body) as Record<string, unknown>, 'lowslow')).toEqual([]);
    expect(r.headers[SIGNATURE_HEADER]).toBeUndefined();
    expect(r.headers['content-type']).toBe('application/json');
  });

  it('splunk_ocsf: the HEC envelope with the OCSF finding as event and its own sourcetype', () => {
    const r = FORMATS.splunk_ocsf(alert, target({ format: 'splunk_ocsf' }), NOW);
    expect(r.headers.authorization).toBe(`Splunk ${SECRET}`);
    const env = JSON.parse(r.body) as { sourcetype: string; time: number; event: unknown };
    expect(env).toMatchObject({ sourcetype: 'lowslow:ocsf', time: alert.event_time / 1000 });
    expect(ocsfProblems(env.event)).toEqual([]);
  });

  it('splunk_ocsf needs the HEC token; ocsf and ecs may go unsigned', () => {
    expect(missingForFormat({ format: 'splunk_ocsf' })).toMatch(/^secret: a splunk_ocsf target needs the HEC token/);
    expect(missingForFormat({ format: 'ocsf' })).toBeNull();
    expect(missingForFormat({ format: 'ecs' })).toBeNull();
  });
});
