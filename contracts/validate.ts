/**
 * Validators for every contract, each compiled once, on its first call: a process compiles only
 * the schemas it uses (the agent never compiles Alert or OCSF), and starts sooner for it.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { AccessEventSchema, type AccessEvent } from './access-event.v1.js';
import { AlertSchema, type Alert } from './alert.v1.js';
import { BacktestCandidateSchema, ConfigSchema, type BacktestCandidate, type Config } from './config.v1.js';
import { OcsfDetectionFindingSchema, type OcsfDetectionFinding } from './ocsf-detection-finding.js';

/** A validator that compiles itself on first use; `errors` is the compiled one's, as ajv's. */
function lazy<T>(compile: () => ValidateFunction<T>): ValidateFunction<T> {
  let compiled: ValidateFunction<T> | undefined;
  const validate = ((data: unknown) => {
    compiled ??= compile();
    const ok = compiled(data);
    validate.errors = compiled.errors;
    return ok;
  }) as ValidateFunction<T>;
  validate.errors = null;
  return validate;
}

/**
 * validateSchema off: checking our schemas against the JSON Schema meta-schema at every start
 * took a third of the compile time; test/unit/contracts/contracts.test.ts checks them once.
 */
const options = { allErrors: false, strict: true, useDefaults: false, validateSchema: false } as const;
/** For validators a process runs a few times (its config): codegen's optimizing passes cost more than they save. */
const once = { ...options, code: { optimize: false } } as const;
let shared: Ajv | undefined;
const ajv = () => (shared ??= new Ajv(options));

export const validateAccessEvent = lazy(() => ajv().compile(AccessEventSchema) as ValidateFunction<AccessEvent>);
export const validateAlert = lazy(() => ajv().compile(AlertSchema) as ValidateFunction<Alert>);
/** OCSF's at-least-one constraints are `anyOf: [{required: [a]}, {required: [b]}]`, which strictRequired would refuse. */
export const validateOcsfDetectionFinding = lazy(
  () => new Ajv({ ...options, strictRequired: false }).compile(OcsfDetectionFindingSchema) as ValidateFunction<OcsfDetectionFinding>,
);
/** A backtest candidate file: no defaults are filled (what it leaves out is the running config's). */
export const validateBacktestCandidate = lazy(() => new Ajv(once).compile(BacktestCandidateSchema) as ValidateFunction<BacktestCandidate>);
/** Fills defaults in place. */
export const validateConfig = lazy(() => new Ajv({ ...once, useDefaults: true }).compile(ConfigSchema) as ValidateFunction<Config>);

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
