/**
 * The Envoy ALS input's settings: `inputs.envoy_als` in the config (schema, descriptions and
 * defaults in contracts/config.v1.ts). The factory also takes the parser options (key headers,
 * Bearer, `inputs.max_line_bytes`) since it maps entries itself.
 */
import type { Config } from '../../../contracts/index.js';

export type EnvoyAlsInputConfig = Config['inputs']['envoy_als'];
