/**
 * Every error the CrowdSec bridge raises, with a stable code. Match on `err.code`, never on the
 * message. Documented in README.md (Errors), kept in sync by test/unit/errors.test.ts. Failures
 * talking to the LAPI are outcomes (retried, counted, warned about), not errors.
 */
export const CROWDSEC_ERRORS = {
  LOWSLOW_CROWDSEC_CONFIG: 'bad crowdsec bridge config',
} as const;

export type CrowdsecErrorCode = keyof typeof CROWDSEC_ERRORS;

export class CrowdsecError extends Error {
  readonly code: CrowdsecErrorCode;
  constructor(code: CrowdsecErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${CROWDSEC_ERRORS[code]}: ${detail}` : CROWDSEC_ERRORS[code], options);
    this.name = 'CrowdsecError';
    this.code = code;
  }
}
