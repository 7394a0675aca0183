/** The inputs a config turns on. */
import type { Config } from '../../contracts/index.js';
import { createFileInput } from './file/index.js';
import type { Input } from './input.js';

export function enabledInputs(config: Config): Input[] {
  const inputs: Input[] = [];
  if (config.inputs.file.paths.length > 0) inputs.push(createFileInput(config));
  return inputs;
}
