/**
 * Alert v1 → an Elastic Common Schema document (ECS 9.4): `event.kind: alert`, categories `api` and
 * `intrusion_detection` of type `info`, severity on Elastic's 21/47/73/99 scale, the rule that
 * fired, the API key as `entity`. What ECS has no field for (reasons with baselines, per-route
 * counts, sample event ids, status) sits under the custom `lowslow.*` namespace, as ECS asks of
 * fields it does not define. Each revision is one document; `event.id` is the revision (the
 * X-Lowslow-Delivery id), `lowslow.alert_id` the alert. A campaign alert's entity is the campaign
 * (or the consumer), its member keys and shares under `lowslow.campaign`.
 */
import type { Alert, Reason, Severity } from '../../contracts/index.js';
import { deliveryId } from '../webhooks/outbox.js';
import { ocsfActivity } from './ocsf.js';
import { PRODUCT } from './product.js';
import { alertSubjectText, alertSummary, iso } from './summary.js';

/** The ECS version the documents follow; test/unit/detector/encode checks them against its field definitions. */
export const ECS_VERSION = '9.4.0';

/** Elastic Security's risk-to-severity bands. */
const SEVERITY: Record<Severity, number> = { low: 21, medium: 47, high: 73, critical: 99 };
const ACTION = { 1: 'alert-created', 2: 'alert-updated', 3: 'alert-closed' } as const;

export interface EcsAlert {
  '@timestamp': string;
  ecs: { version: string };
  message: string;
  tags: string[];
  labels: Record<string, string>;
  event: {
    kind: 'alert';
    category: string[];
    type: string[];
    action: string;
    id: string;
    created: string;
    start: string;
    end: string;
    duration: number;
    severity: number;
    risk_score: number;
    risk_score_norm: number;
    reason?: string;
    provider: string;
    module: string;
    dataset: string;
  };
  rule: { id: string; name: string; ruleset: string; category: string; version: string; description: string };
  observer: { vendor: string; product: string; version: string };
  entity: { id: string; name: string; type: string[]; sub_type: string };
  related: { hosts: string[] };
  lowslow: {
    alert_id: string;
    key_id: string;
    kind: string;
    status: Alert['status'];
    score: number;
    threshold: number;
    model_version: string;
    event_time: string;
    window: { start: string; end: string };
    gateway: string;
    reasons: Reason[];
    evidence: Alert['evidence'];
    feedback?: { verdict: string; note: string; at: string };
    campaign?: Alert['campaign'];
  };
}

export function toEcs(a: Alert): EcsAlert {
  const doc: EcsAlert = {
    '@timestamp': iso(a.updated_at),
    ecs: { version: ECS_VERSION },
    message: alertSummary(a),
    tags: ['lowslow', 'api-abuse'],
    labels: { gateway: a.source.gateway },
    event: {
      kind: 'alert',
      category: ['api', 'intrusion_detection'],
      type: ['info'],
      action: ACTION[ocsfActivity(a)],
      id: deliveryId(a),
      created: iso(a.created_at),
      start: iso(a.window.start),
      end: iso(a.window.end),
      duration: (a.window.end - a.window.start) * 1_000_000,
      severity: SEVERITY[a.severity],
      risk_score: Math.round(a.score * 1000) / 10,
      risk_score_norm: Math.round(a.score * 1000) / 10,
      provider: PRODUCT.name,
      module: PRODUCT.name,
      dataset: 'lowslow.alert',
    },
    rule: {
      id: a.kind,
      name: `lowslow ${a.kind}`,
      ruleset: PRODUCT.name,
      category: 'API abuse',
      version: a.model_version,
      description: "An API key's window of traffic deviates from the key's own history and from the population's.",
    },
    observer: { vendor: PRODUCT.vendor, product: PRODUCT.name, version: PRODUCT.version },
    entity: a.campaign
      ? { id: a.key_id, name: alertSubjectText(a), type: ['application'], sub_type: a.campaign.consumer_id !== undefined ? 'consumer' : 'api_key_campaign' }
      : { id: a.key_id, name: `API key ${a.key_id}`, type: ['application'], sub_type: 'api_key' },
    related: { hosts: [...a.source.hosts] },
    lowslow: {
      alert_id: a.id,
      key_id: a.key_id,
      kind: a.kind,
      status: a.status,
      score: a.score,
      threshold: a.threshold,
      model_version: a.model_version,
      event_time: iso(a.event_time),
      window: { start: iso(a.window.start), end: iso(a.window.end) },
      gateway: a.source.gateway,
      reasons: a.reasons,
      evidence: a.evidence,
    },
  };
  const first = a.reasons[0];
  if (first) doc.event.reason = first.text;
  if (a.feedback) doc.lowslow.feedback = { verdict: a.feedback.verdict, note: a.feedback.note, at: iso(a.feedback.at) };
  if (a.campaign) doc.lowslow.campaign = a.campaign;
  return doc;
}
