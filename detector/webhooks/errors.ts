/**
 * Every error the webhook part raises, with a stable code. Match on `err.code`, never on the
 * message. Documented in README.md (Errors), kept in sync by test/unit/errors.test.ts.
 */
export const WEBHOOK_ERRORS = {
  LOWSLOW_WEBHOOK_CONFIG: 'bad webhook target',
  LOWSLOW_WEBHOOK_URL: 'webhook URL refused',
  LOWSLOW_WEBHOOK_EXISTS: 'a webhook target of that name exists',
  LOWSLOW_WEBHOOK_NOT_FOUND: 'no webhook target of that name',
  LOWSLOW_WEBHOOK_READ_ONLY: 'the webhook target comes from the config file: change it there',
} as const;

export type WebhookErrorCode = keyof typeof WEBHOOK_ERRORS;

export class WebhookError extends Error {
  readonly code: WebhookErrorCode;
  constructor(code: WebhookErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${WEBHOOK_ERRORS[code]}: ${detail}` : WEBHOOK_ERRORS[code], options);
    this.name = 'WebhookError';
    this.code = code;
  }
}
