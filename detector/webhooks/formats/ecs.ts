/**
 * ECS format: the alert as an Elastic Common Schema document, e.g. for Elastic Agent's custom HTTP
 * endpoint input. Signed like the generic format when the target has a secret, unsigned without.
 */
import type { Alert } from '../../../contracts/index.js';
import { toEcs } from '../../encode/ecs.js';
import type { WebhookTarget } from '../target.js';
import type { WebhookRequest } from './index.js';
import { signedJson } from './signed-json.js';

export function ecs(alert: Alert, target: WebhookTarget, now: number): WebhookRequest {
  return signedJson(toEcs(alert), target, now);
}
