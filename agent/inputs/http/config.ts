/**
 * The http input's settings: `inputs.http` in the config (schema, descriptions and defaults in
 * contracts/config.v1.ts). The factory also takes the parser options (key headers, Bearer,
 * `inputs.max_line_bytes`) for the Kong objects it maps itself.
 */
import type { Config } from '../../../contracts/index.js';

export type HttpInputConfig = Config['inputs']['http'];

/** Seconds a client is told to wait (Retry-After) when the pipeline is full. */
export const RETRY_AFTER_SECONDS = 1;
