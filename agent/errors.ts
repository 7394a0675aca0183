/**
 * Every error the agent raises, with a stable code. Match on `err.code`, never on the message.
 * The list is documented in README.md (Errors) and kept in sync by test/unit/errors.test.ts.
 */
export const AGENT_ERRORS = {
  LOWSLOW_AGENT_NO_SECRET: 'key_secret is not set: set LOWSLOW_KEY_SECRET (at least 16 characters)',
  LOWSLOW_AGENT_NO_INPUT: 'no input configured: set inputs.file.paths (LOWSLOW_INPUTS_FILE_PATHS)',
  LOWSLOW_AGENT_INPUT: 'an input failed',
} as const;

export type AgentErrorCode = keyof typeof AGENT_ERRORS;

export class AgentError extends Error {
  readonly code: AgentErrorCode;
  constructor(code: AgentErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${AGENT_ERRORS[code]}: ${detail}` : AGENT_ERRORS[code], options);
    this.name = 'AgentError';
    this.code = code;
  }
}
