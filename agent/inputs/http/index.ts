/**
 * Http input: a loopback HTTP endpoint for gateways and shippers that push. POST /kong takes Kong's
 * built-in http-log payloads (one `kong.log.serialize()` object, or an array of them when
 * `queue.max_batch_size` > 1) and maps them with the kong parser; POST /lines takes
 * newline-delimited lines in `inputs.http.format` from Fluent Bit (`format json_lines`) or Vector
 * (newline-framed json or text). Optional Bearer token, body limit, a time limit per request (slow
 * clients get 408, server-options.ts), and 503 + Retry-After while the pipeline is full (Kong,
 * Fluent Bit and Vector all retry).
 */
import type { Config } from '../../../contracts/index.js';
import { HttpInput } from './receiver.js';

/** Reads `inputs.http`, `inputs.max_line_bytes` and `sanitize.key_headers` / `sanitize.bearer` (for Kong objects). */
export function createHttpInput(config: Config): HttpInput {
  return new HttpInput(config.inputs.http, {
    maxLineBytes: config.inputs.max_line_bytes,
    keyHeaders: config.sanitize.key_headers,
    bearer: config.sanitize.bearer,
  });
}

export type { HttpInputConfig } from './config.js';
export { HttpInput } from './receiver.js';
export { HttpInputMetrics } from './metrics.js';
export { buildHttpInputApp } from './app.js';
