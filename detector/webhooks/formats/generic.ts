/** Generic format: the Alert v1 JSON itself, signed with HMAC-SHA256 over timestamp and body. */
import type { Alert } from '../../../contracts/index.js';
import { SIGNATURE_HEADER, signatureHeader } from '../sign.js';
import type { WebhookTarget } from '../target.js';
import type { WebhookRequest } from './index.js';

export function generic(alert: Alert, target: WebhookTarget, now: number): WebhookRequest {
  const body = JSON.stringify(alert);
  return {
    headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signatureHeader(target.secret ?? '', body, now) },
    body,
  };
}
