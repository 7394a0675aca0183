/**
 * Webhook formats: generic (signed Alert v1 JSON), splunk and splunk_ocsf (HEC envelope of the
 * Alert v1 or of the OCSF finding), slack (incoming-webhook text), ocsf and ecs (the alert in those
 * SIEM schemas). A format turns an alert into the request body and headers; the dispatcher adds the
 * delivery id and sends it.
 */
import type { Alert, WebhookFormat } from '../../../contracts/index.js';
import type { WebhookTarget } from '../target.js';
import { ecs } from './ecs.js';
import { generic } from './generic.js';
import { ocsf } from './ocsf.js';
import { slack } from './slack.js';
import { splunk, splunkOcsf } from './splunk.js';

export interface WebhookRequest {
  headers: Record<string, string>;
  body: string;
}

export type Format = (alert: Alert, target: WebhookTarget, now: number) => WebhookRequest;

export const FORMATS: Record<WebhookFormat, Format> = { generic, splunk, splunk_ocsf: splunkOcsf, slack, ocsf, ecs };
