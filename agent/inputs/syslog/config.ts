/**
 * The syslog input's settings: `inputs.syslog` in the config (schema, descriptions and defaults in
 * contracts/config.v1.ts). The factory also takes the shared `inputs.max_line_bytes`.
 */
import type { Config } from '../../../contracts/index.js';

export type SyslogInputConfig = Config['inputs']['syslog'];
