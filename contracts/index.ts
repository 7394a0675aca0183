/**
 * The contracts between lowslow's parts: AccessEvent v1, Alert v1, the config, and the OCSF
 * Detection Finding alerts are also published as, as JSON Schemas (the .json files beside this one
 * are generated from these modules) with their TypeScript types and compiled validators. Agent and
 * detector both import this; neither imports the other.
 */
export * from './access-event.v1.js';
export * from './alert.v1.js';
export * from './config.v1.js';
export * from './ocsf-detection-finding.js';
export * from './validate.js';
export * from './subjects.js';
