/**
 * A webhook target: where alerts go, in which format, and which alerts (minimum severity,
 * gateways). Targets come from the config file (read-only through the API) or from
 * POST /v1/webhooks (stored in Redis).
 */
import { SEVERITIES, type Alert, type Severity, type WebhookFormat } from '../../contracts/index.js';

export interface WebhookTarget {
  name: string;
  url: string;
  format: WebhookFormat;
  /** generic: HMAC key; splunk, splunk_ocsf: HEC token; ocsf, ecs: optional HMAC key; slack: unused. Never leaves the process except as a fingerprint. */
  secret?: string;
  min_severity: Severity;
  /** Empty: every gateway. */
  gateways: string[];
  origin: 'config' | 'api';
  /** Wall-clock ms when added through the API. */
  created_at?: number;
}

/** Whether the target wants this alert. */
export function accepts(t: WebhookTarget, a: Alert): boolean {
  return SEVERITIES.indexOf(a.severity) >= SEVERITIES.indexOf(t.min_severity) && (t.gateways.length === 0 || t.gateways.includes(a.source.gateway));
}

/** What a target lacks for its format, or null. */
export function missingForFormat(t: Pick<WebhookTarget, 'format' | 'secret'>): string | null {
  if (t.format === 'generic' && t.secret === undefined) return 'secret: a generic target signs with a secret; set secret (or secret_env)';
  if ((t.format === 'splunk' || t.format === 'splunk_ocsf') && t.secret === undefined) return `secret: a ${t.format} target needs the HEC token as secret (or secret_env)`;
  return null;
}
