/** The generated text of each contract schema (JSON) and compiled validator, by path relative to contracts/. */
import { AccessEventSchema } from './access-event.v1.js';
import { AlertSchema } from './alert.v1.js';
import { compiledValidatorFiles, configEnvFile } from './compiled-validators.js';
import { BacktestCandidateSchema, ConfigSchema } from './config.v1.js';
import { OCSF_VERSION, OcsfDetectionFindingSchema } from './ocsf-detection-finding.js';

export function contractFiles(): Array<[string, string]> {
  const json = (s: unknown) => `${JSON.stringify(s, null, 2)}\n`;
  return [
    ['access-event.v1.json', json(AccessEventSchema)],
    ['alert.v1.json', json(AlertSchema)],
    ['config.v1.json', json(ConfigSchema)],
    ['backtest-candidate.v1.json', json(BacktestCandidateSchema)],
    [`ocsf-${OCSF_VERSION}-detection-finding.json`, json(OcsfDetectionFindingSchema)],
    ...compiledValidatorFiles(),
    configEnvFile(),
  ];
}
