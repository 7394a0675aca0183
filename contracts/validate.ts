/**
 * Compiled validators for every contract. Compiled once at import; call them on every boundary.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { AccessEventSchema, type AccessEvent } from './access-event.v1.js';
import { AlertSchema, type Alert } from './alert.v1.js';
import { ConfigSchema, type Config } from './config.v1.js';
import { OcsfDetectionFindingSchema, type OcsfDetectionFinding } from './ocsf-detection-finding.js';

const ajv = new Ajv({ allErrors: false, strict: true, useDefaults: false });
const configAjv = new Ajv({ allErrors: false, strict: true, useDefaults: true });

export const validateAccessEvent = ajv.compile(AccessEventSchema) as ValidateFunction<AccessEvent>;
export const validateAlert = ajv.compile(AlertSchema) as ValidateFunction<Alert>;
/** OCSF's at-least-one constraints are `anyOf: [{required: [a]}, {required: [b]}]`, which strictRequired would refuse. */
const ocsfAjv = new Ajv({ allErrors: false, strict: true, strictRequired: false, useDefaults: false });
export const validateOcsfDetectionFinding = ocsfAjv.compile(OcsfDetectionFindingSchema) as ValidateFunction<OcsfDetectionFinding>;
/** Fills defaults in place. */
export const validateConfig = configAjv.compile(ConfigSchema) as ValidateFunction<Config>;

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
