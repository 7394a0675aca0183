/** A JSON body, signed as the generic format signs (X-Lowslow-Signature) when the target has a secret. */
import { SIGNATURE_HEADER, signatureHeader } from '../sign.js';
import type { WebhookTarget } from '../target.js';
import type { WebhookRequest } from './index.js';

export function signedJson(document: unknown, target: WebhookTarget, now: number): WebhookRequest {
  const body = JSON.stringify(document);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (target.secret !== undefined) headers[SIGNATURE_HEADER] = signatureHeader(target.secret, body, now);
  return { headers, body };
}
