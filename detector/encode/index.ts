/**
 * Encodings of an alert for the systems that receive it: `alert` (Alert v1 itself), `ocsf` (an
 * OCSF 1.3.0 Detection Finding) and `ecs` (an Elastic Common Schema document). The API's `format`
 * parameter and the webhook formats both take them from this registry.
 */
import type { Alert } from '../../contracts/index.js';
import { toEcs } from './ecs.js';
import { toOcsf } from './ocsf.js';

export const ALERT_ENCODING_NAMES = ['alert', 'ocsf', 'ecs'] as const;
export type AlertEncoding = (typeof ALERT_ENCODING_NAMES)[number];

export const ALERT_ENCODINGS: Record<AlertEncoding, (a: Alert) => unknown> = { alert: (a) => a, ocsf: toOcsf, ecs: toEcs };

export { toEcs, ECS_VERSION, type EcsAlert } from './ecs.js';
export { toOcsf, ocsfActivity } from './ocsf.js';
