/**
 * Webhook formats, one file each: generic (signed Alert v1 JSON), splunk (HEC envelope), slack
 * (incoming-webhook text). A format turns an alert into the request body and headers; the
 * dispatcher adds the delivery id and sends it.
 */
import type { Alert, WebhookFormat } from '../../../contracts/index.js';
import type { WebhookTarget } from '../target.js';
import { generic } from './generic.js';
import { slack } from './slack.js';
import { splunk } from './splunk.js';

export interface WebhookRequest {
  headers: Record<string, string>;
  body: string;
}

export type Format = (alert: Alert, target: WebhookTarget, now: number) => WebhookRequest;

export const FORMATS: Record<WebhookFormat, Format> = { generic, splunk, slack };
