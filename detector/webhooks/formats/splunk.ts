/**
 * Splunk HTTP Event Collector: the event envelope (`time` in epoch seconds, host, source,
 * sourcetype, and the Alert v1 as `event`), authorised with `Authorization: Splunk <token>`.
 */
import type { Alert } from '../../../contracts/index.js';
import type { WebhookTarget } from '../target.js';
import type { WebhookRequest } from './index.js';

export const SPLUNK_SOURCETYPE = 'lowslow:alert';

export function splunk(alert: Alert, target: WebhookTarget): WebhookRequest {
  const body = JSON.stringify({
    time: alert.event_time / 1000,
    host: alert.source.hosts[0] ?? alert.source.gateway,
    source: 'lowslow',
    sourcetype: SPLUNK_SOURCETYPE,
    event: alert,
  });
  return { headers: { 'content-type': 'application/json', authorization: `Splunk ${target.secret ?? ''}` }, body };
}
