/**
 * The inputs a config turns on. Each input module is loaded only when enabled, so an agent that
 * tails a file does not carry the gRPC or HTTP server code in memory.
 */
import type { Config } from '../../contracts/index.js';
import type { Input } from './input.js';

export async function enabledInputs(config: Config): Promise<Input[]> {
  const i = config.inputs;
  const inputs: Input[] = [];
  if (i.file.paths.length > 0) inputs.push((await import('./file/index.js')).createFileInput(config));
  if (i.syslog.enabled) inputs.push((await import('./syslog/index.js')).createSyslogInput(config));
  if (i.http.enabled) inputs.push((await import('./http/index.js')).createHttpInput(config));
  if (i.envoy_als.enabled) inputs.push((await import('./envoy-als/index.js')).createEnvoyAlsInput(config));
  if (i.stdin.enabled) inputs.push((await import('./stdin/index.js')).createStdinInput(config));
  return inputs;
}
