/**
 * Every input in one place. Each factory takes the validated config (it reads its own
 * `inputs.<name>` section and the shared settings) and returns an Input (input.ts says what every
 * input promises); enabled.ts starts the ones the config turns on and the pipeline supervises them.
 */
import { createEnvoyAlsInput } from './envoy-als/index.js';
import { createFileInput } from './file/index.js';
import { createHttpInput } from './http/index.js';
import { createStdinInput } from './stdin/index.js';
import { createSyslogInput } from './syslog/index.js';

export const inputs = {
  file: createFileInput,
  syslog: createSyslogInput,
  http: createHttpInput,
  envoyAls: createEnvoyAlsInput,
  stdin: createStdinInput,
} as const;

export { createEnvoyAlsInput, createFileInput, createHttpInput, createStdinInput, createSyslogInput };
export type { Input, InputContext } from './input.js';
