/**
 * OCSF format: the alert as an OCSF 1.3.0 Detection Finding, for security data lakes and SIEMs that
 * read OCSF. Signed like the generic format when the target has a secret, unsigned without.
 */
import type { Alert } from '../../../contracts/index.js';
import { toOcsf } from '../../encode/ocsf.js';
import type { WebhookTarget } from '../target.js';
import type { WebhookRequest } from './index.js';
import { signedJson } from './signed-json.js';

export function ocsf(alert: Alert, target: WebhookTarget, now: number): WebhookRequest {
  return signedJson(toOcsf(alert), target, now);
}
