/**
 * Envoy ALS input: a gRPC Access Log Service server (envoy.service.accesslog.v3, the
 * `envoy.access_loggers.http_grpc` logger's peer). Each HTTP entry becomes a RawRecord handed to
 * the pipeline; TCP and intermediate entries are counted and skipped. Streams pause while the
 * pipeline is full. Our .proto files are a checked subset of Envoy's own (field numbers identical).
 */
import type { Config } from '../../../contracts/index.js';
import { EnvoyAlsInput } from './server.js';

/** Reads `inputs.envoy_als`, `inputs.max_line_bytes` and `sanitize.key_headers` / `sanitize.bearer`. */
export function createEnvoyAlsInput(config: Config): EnvoyAlsInput {
  return new EnvoyAlsInput(config.inputs.envoy_als, {
    maxLineBytes: config.inputs.max_line_bytes,
    keyHeaders: config.sanitize.key_headers,
    bearer: config.sanitize.bearer,
  });
}

export type { EnvoyAlsInputConfig } from './config.js';
export { EnvoyAlsInput } from './server.js';
export { EnvoyAlsInputMetrics } from './metrics.js';
export { isRequestEnd, mapHttpEntry } from './entry.js';
export { ALS_SERVICE, LOADER_OPTIONS, protoDir } from './proto.js';
