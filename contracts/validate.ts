/**
 * Validators for every contract. The config's and AccessEvent's are compiled ahead of time
 * (checks.ts): every process runs them as it starts. The others compile on their first call,
 * with ajv loaded then, so a process compiles only what it uses.
 */
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, Options, ValidateFunction } from 'ajv';
import { AlertSchema, type Alert } from './alert.v1.js';
import { BacktestCandidateSchema, type BacktestCandidate } from './config.v1.js';
import { OcsfDetectionFindingSchema, type OcsfDetectionFinding } from './ocsf-detection-finding.js';

export { describeError, validateAccessEvent, validateConfig } from './checks.js';

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
 * validateSchema off: checking our schemas against the JSON Schema meta-schema each time took a
 * third of the compile time; test/unit/contracts/contracts.test.ts checks them once.
 */
const options: Options = { allErrors: false, strict: true, useDefaults: false, validateSchema: false };
const newAjv = (extra: Options = {}): AjvClass => {
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  return new Ajv({ ...options, ...extra });
};

export const validateAlert = lazy(() => newAjv().compile(AlertSchema) as ValidateFunction<Alert>);
/** OCSF's at-least-one constraints are `anyOf: [{required: [a]}, {required: [b]}]`, which strictRequired would refuse. */
export const validateOcsfDetectionFinding = lazy(
  () => newAjv({ strictRequired: false }).compile(OcsfDetectionFindingSchema) as ValidateFunction<OcsfDetectionFinding>,
);
/** A backtest candidate file: no defaults are filled (what it leaves out is the running config's). */
export const validateBacktestCandidate = lazy(() => newAjv({ code: { optimize: false } }).compile(BacktestCandidateSchema) as ValidateFunction<BacktestCandidate>);
