/**
 * The validators every process runs as it starts, the config's and AccessEvent's, compiled ahead
 * of time (contracts/compiled/, by `npm run contracts`), and the one-line error they report.
 * Neither ajv nor the schema builders are loaded for them.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { AccessEvent } from './access-event.v1.js';
import type { Config } from './config.v1.js';
import { validate as accessEvent } from './compiled/access-event.js';
import { validate as config } from './compiled/config.js';

export const validateAccessEvent = accessEvent as unknown as ValidateFunction<AccessEvent>;
/** Fills defaults in place. */
export const validateConfig = config as unknown as ValidateFunction<Config>;

/** One line naming the field, e.g. `nats.partitions: must be >= 1`. */
export function describeError(errors: ErrorObject[] | null | undefined): string {
  const e = errors?.[0];
  if (!e) return 'invalid';
  let path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    return `${path ? `${path}.` : ''}${extra}: unknown field`;
  }
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    path = path ? `${path}.${missing}` : missing;
    return `${path}: is required`;
  }
  return `${path || '(root)'}: ${e.message ?? 'invalid'}`;
}
