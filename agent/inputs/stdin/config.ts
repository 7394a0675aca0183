/**
 * The stdin input's settings: `inputs.stdin` in the config (schema, descriptions and defaults in
 * contracts/config.v1.ts). The factory also takes the shared `inputs.max_line_bytes`.
 */
import type { Config } from '../../../contracts/index.js';

export type StdinInputConfig = Config['inputs']['stdin'];
