/**
 * Alert v1 → the CrowdSec LAPI `Alert` model (pkg/models/localapi_swagger.yaml): a manual-style
 * alert, as `cscli decisions add` sends one, that carries its own decision of scope `apikey` on the
 * key_id, so LAPI stores it as given instead of running its profiles. Times are RFC 3339 (LAPI
 * parses them with Go's time.RFC3339), the duration a Go duration.
 */
import type { Alert } from '../../contracts/index.js';
import { alertSummary } from '../encode/summary.js';
import type { CrowdsecOptions } from './config.js';

/** The scenario every lowslow alert is pushed under; bouncers and `cscli` filter on it. */
export const SCENARIO = 'lowslow/api-key-abuse';
export const SCOPE = 'apikey';
export const ORIGIN = 'lowslow';

export interface LapiMeta {
  key: string;
  value: string;
}

export interface LapiDecision {
  duration: string;
  type: string;
  scope: string;
  value: string;
  origin: string;
  scenario: string;
}

export interface LapiAlert {
  scenario: string;
  scenario_hash: string;
  scenario_version: string;
  message: string;
  events_count: number;
  start_at: string;
  stop_at: string;
  capacity: number;
  leakspeed: string;
  simulated: boolean;
  remediation: boolean;
  source: { scope: string; value: string };
  decisions: LapiDecision[];
  events: Array<{ timestamp: string; meta: LapiMeta[] }>;
  meta: LapiMeta[];
}

/** RFC 3339 without fractional seconds. */
export const rfc3339 = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

const INT32_MAX = 2_147_483_647;

export function toLapiAlert(a: Alert, o: Pick<CrowdsecOptions, 'decisionType' | 'decisionDuration' | 'simulated'>): LapiAlert {
  const meta: LapiMeta[] = [
    { key: 'lowslow_alert_id', value: a.id },
    { key: 'severity', value: a.severity },
    { key: 'score', value: String(a.score) },
    { key: 'gateway', value: a.source.gateway },
  ];
  const events = [
    {
      timestamp: rfc3339(a.window.end),
      meta: [
        { key: 'key_id', value: a.key_id },
        { key: 'requests', value: String(a.evidence.requests) },
        ...a.evidence.routes.slice(0, 10).map((r) => ({ key: 'route', value: `${r.route} (${r.count})` })),
        ...a.reasons.map((r) => ({ key: 'reason', value: r.text })),
      ],
    },
  ];
  return {
    scenario: SCENARIO,
    scenario_hash: '',
    scenario_version: a.model_version,
    message: alertSummary(a).slice(0, 1024),
    events_count: Math.min(a.evidence.requests, INT32_MAX),
    start_at: rfc3339(a.window.start),
    stop_at: rfc3339(a.window.end),
    capacity: 0,
    leakspeed: '0',
    simulated: o.simulated,
    remediation: true,
    source: { scope: SCOPE, value: a.key_id },
    decisions: [{ duration: o.decisionDuration, type: o.decisionType, scope: SCOPE, value: a.key_id, origin: ORIGIN, scenario: SCENARIO }],
    events,
    meta,
  };
}
