/**
 * Alert v1 → OCSF 1.3.0 Detection Finding (class 2004). Each published revision of an alert is one
 * finding event: its first publication is `Create`, a raised severity or an analyst's change is
 * `Update`, resolved and false-positive verdicts `Close`. The finding's uid is the alert id (the
 * same across revisions); `metadata.uid` is the revision (the X-Lowslow-Delivery id). The API key is
 * the affected resource and a `User Credential ID` observable; the routes it read are resources
 * too; reasons and counts are evidence. A campaign alert names every member key as a resource and a
 * `User Credential ID` observable, its networks as `Subnet` observables, and carries the campaign
 * (members, shares, what links them) in its evidence. The schema it satisfies is
 * contracts/ocsf-detection-finding.ts.
 */
import {
  OCSF_VERSION,
  RISK_LEVEL_ID,
  SEVERITY_ID,
  STATUS_ID,
  TYPE_UID,
  ACTIVITY,
  OBSERVABLE_TYPE_ID,
  type Alert,
  type OcsfDetectionFinding,
  type Severity,
} from '../../contracts/index.js';
import { deliveryId } from '../webhooks/outbox.js';
import { PRODUCT } from './product.js';
import { alertSummary } from './summary.js';

const CLASS_UID = 2004;

const SEVERITY: Record<Severity, keyof typeof SEVERITY_ID> = { low: 2, medium: 3, high: 4, critical: 5 };
const RISK_LEVEL: Record<Severity, keyof typeof RISK_LEVEL_ID> = { low: 1, medium: 2, high: 3, critical: 4 };
const STATUS: Record<Alert['status'], keyof typeof STATUS_ID> = { open: 1, acknowledged: 2, false_positive: 3, resolved: 4 };

/** Create for a new alert, Update for any later revision, Close once resolved or judged a false positive. */
export function ocsfActivity(a: Alert): 1 | 2 | 3 {
  if (a.status === 'resolved' || a.status === 'false_positive') return 3;
  return a.updated_at > a.created_at ? 2 : 1;
}

export function toOcsf(a: Alert): OcsfDetectionFinding {
  const activity = ocsfActivity(a);
  const typeUid = (CLASS_UID * 100 + activity) as keyof typeof TYPE_UID;
  const severity = SEVERITY[a.severity];
  const status = STATUS[a.status];
  const risk = RISK_LEVEL[a.severity];
  const features = [...new Set(a.reasons.map((r) => r.feature))];
  const c = a.campaign;
  const keys = c ? c.members.map((m) => m.key_id) : [a.key_id];
  const networks = c ? [...new Set([...a.evidence.networks, ...c.members.flatMap((m) => m.networks)])] : a.evidence.networks;
  const title = c
    ? `${c.members.length} API keys acting together${c.consumer_id !== undefined ? ` (consumer ${c.consumer_id})` : ''}`
    : a.kind === 'coverage'
      ? `API key ${a.key_id} read an unusual share of an id space`
      : `Unusual behaviour of API key ${a.key_id}`;
  const finding: OcsfDetectionFinding = {
    activity_id: activity,
    activity_name: ACTIVITY[activity],
    category_uid: 2,
    category_name: 'Findings',
    class_uid: CLASS_UID,
    class_name: 'Detection Finding',
    type_uid: typeUid,
    type_name: TYPE_UID[typeUid],
    severity_id: severity,
    severity: SEVERITY_ID[severity],
    status_id: status,
    status: STATUS_ID[status],
    time: a.updated_at,
    start_time: a.window.start,
    end_time: a.window.end,
    duration: a.window.end - a.window.start,
    count: a.evidence.requests,
    message: alertSummary(a),
    risk_score: Math.round(a.score * 100),
    risk_level_id: risk,
    risk_level: RISK_LEVEL_ID[risk],
    risk_details: `score ${a.score} over threshold ${a.threshold} (model ${a.model_version})`,
    metadata: {
      version: OCSF_VERSION,
      product: { name: PRODUCT.name, vendor_name: PRODUCT.vendor, version: PRODUCT.version },
      uid: deliveryId(a),
      correlation_uid: a.id,
      log_name: 'alerts',
      logged_time: a.updated_at,
    },
    finding_info: {
      uid: a.id,
      title,
      desc: a.reasons.map((r) => r.text).join('\n') || `score ${a.score} over threshold ${a.threshold}`,
      types: ['API Abuse', ...features],
      created_time: a.created_at,
      modified_time: a.updated_at,
      first_seen_time: a.window.start,
      last_seen_time: a.window.end,
      data_sources: [`${a.source.gateway} access logs`],
      analytic: { name: `lowslow ${a.kind}`, uid: a.kind, type_id: 2, type: 'Behavioral', version: a.model_version },
    },
    observables: [
      ...keys.map((k) => ({ name: 'resources.uid', type_id: 19 as const, type: OBSERVABLE_TYPE_ID[19], value: k })),
      ...networks.map((n) => ({ name: 'evidences.data.networks', type_id: 12 as const, type: OBSERVABLE_TYPE_ID[12], value: n })),
    ],
    resources: [
      ...(c
        ? c.members.map((m) => ({ uid: m.key_id, name: `API key ${m.key_id}`, type: 'API Key', labels: [`gateway:${a.source.gateway}`, `campaign:${c.id}`], data: { share: m.share, distinct_objects: m.distinct_objects, networks: m.networks } }))
        : [{ uid: a.key_id, name: `API key ${a.key_id}`, type: 'API Key', labels: [`gateway:${a.source.gateway}`] }]),
      ...a.evidence.routes.map((r) => ({ name: r.route, type: 'API Route', labels: [`gateway:${a.source.gateway}`], data: { requests: r.count } })),
    ],
    evidences: [
      {
        data: {
          key_id: a.key_id,
          window: { start: a.window.start, end: a.window.end },
          requests: a.evidence.requests,
          distinct_objects: a.evidence.distinct_objects,
          routes: a.evidence.routes,
          networks: a.evidence.networks,
          sample_event_ids: a.evidence.sample_event_ids,
          gateway: a.source.gateway,
          hosts: a.source.hosts,
          ...(c ? { campaign: c } : {}),
        },
      },
      ...a.reasons.map((r) => ({ data: { reason: r.feature, value: r.value, baseline: r.baseline, text: r.text } })),
    ],
    unmapped: { lowslow: { score: a.score, threshold: a.threshold, kind: a.kind, event_time: a.event_time } },
  };
  if (a.feedback) {
    finding.status_detail = a.feedback.verdict === 'false_positive' ? 'judged a false positive' : 'confirmed a true positive';
    if (a.feedback.note) finding.comment = a.feedback.note;
  }
  return finding;
}
