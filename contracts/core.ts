/**
 * The part of the contracts a process needs as it starts: patterns, subjects and the partition
 * function, the compiled config and AccessEvent validators, the config's environment variables.
 * No schema builder is loaded for it (TypeBox alone took 70-140 ms of the agent's start-up);
 * index.ts exports all of this too, with the schemas and types.
 */
export * from './patterns.js';
export * from './checks.js';
export * from './subjects.js';
export { CONFIG_ENV, type ConfigEnvVariable } from './compiled/config-env.js';
