/**
 * Every error the model raises, with a stable code. Match on `err.code`, never on the message.
 * test/unit/model/errors.test.ts provokes each code below and checks that nothing else is thrown.
 */
export const MODEL_ERRORS = {
  LOWSLOW_MODEL_INPUT: 'bad input rows',
  LOWSLOW_MODEL_OPTION: 'bad isolation forest option',
  LOWSLOW_MODEL_VERSION: 'model bytes use a newer format than this build reads: upgrade lowslow or retrain',
  LOWSLOW_MODEL_CORRUPT: 'model bytes are corrupt or truncated: retrain or restore the model',
} as const;

export type ModelErrorCode = keyof typeof MODEL_ERRORS;

export class ModelError extends Error {
  readonly code: ModelErrorCode;
  constructor(code: ModelErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${MODEL_ERRORS[code]}: ${detail}` : MODEL_ERRORS[code], options);
    this.name = 'ModelError';
    this.code = code;
  }
}
