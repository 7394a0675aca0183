/**
 * Every error the lowslow command itself raises beyond the config (LOWSLOW_CONFIG, config.ts),
 * with a stable code: today those of `lowslow backtest`. Match on `err.code`, never on the message.
 * Documented in README.md (Errors), kept in sync by test/unit/errors.test.ts.
 */
export const BACKTEST_ERRORS = {
  LOWSLOW_BACKTEST_CANDIDATE: 'the --model file is not a backtest candidate (contracts/backtest-candidate.v1.json) or a model file',
  LOWSLOW_BACKTEST_MODEL: 'the model cannot score the detector’s windows',
  LOWSLOW_BACKTEST_RANGE: 'bad backtest period',
  LOWSLOW_BACKTEST_LABELS: 'the --labels file is not Alert v1 JSON lines',
  LOWSLOW_BACKTEST_SOURCE: 'nothing to read events from',
} as const;

export type BacktestErrorCode = keyof typeof BACKTEST_ERRORS;

export class BacktestError extends Error {
  readonly code: BacktestErrorCode;
  constructor(code: BacktestErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${BACKTEST_ERRORS[code]}: ${detail}` : BACKTEST_ERRORS[code], options);
    this.name = 'BacktestError';
    this.code = code;
  }
}
