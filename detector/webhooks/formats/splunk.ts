/**
 * Splunk HTTP Event Collector: the event envelope (`time` in epoch seconds, host, source,
 * sourcetype, and the alert as `event`), authorised with `Authorization: Splunk <token>`. `splunk`
 * sends the Alert v1 (sourcetype lowslow:alert), `splunk_ocsf` the OCSF Detection Finding
 * (sourcetype lowslow:ocsf), for Splunk apps that read OCSF.
 */
import type { Alert } from '../../../contracts/index.js';
import { toOcsf } from '../../encode/ocsf.js';
import type { WebhookTarget } from '../target.js';
import type { WebhookRequest } from './index.js';

export const SPLUNK_SOURCETYPE = 'lowslow:alert';
export const SPLUNK_OCSF_SOURCETYPE = 'lowslow:ocsf';

function envelope(alert: Alert, target: WebhookTarget, sourcetype: string, event: unknown): WebhookRequest {
  const body = JSON.stringify({
    time: alert.event_time / 1000,
    host: alert.source.hosts[0] ?? alert.source.gateway,
    source: 'lowslow',
    sourcetype,
    event,
  });
  return { headers: { 'content-type': 'application/json', authorization: `Splunk ${target.secret ?? ''}` }, body };
}

export function splunk(alert: Alert, target: WebhookTarget): WebhookRequest {
  return envelope(alert, target, SPLUNK_SOURCETYPE, alert);
}

export function splunkOcsf(alert: Alert, target: WebhookTarget): WebhookRequest {
  return envelope(alert, target, SPLUNK_OCSF_SOURCETYPE, toOcsf(alert));
}
