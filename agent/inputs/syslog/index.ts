/**
 * Syslog input: receives NGINX access log lines as UDP syslog datagrams
 * (`access_log syslog:server=127.0.0.1:5140,nohostname,tag=lowslow lowslow;`), strips the syslog
 * header and hands each line to the pipeline in `inputs.syslog.format`. Event time comes from the
 * line, never from the header. UDP cannot be paused: datagrams that arrive while the pipeline is
 * full are dropped and counted (see receiver.ts).
 */
import type { Config } from '../../../contracts/index.js';
import { SyslogInput } from './receiver.js';

/** Reads `inputs.syslog` and `inputs.max_line_bytes`. */
export function createSyslogInput(config: Config): SyslogInput {
  return new SyslogInput(config.inputs.syslog, config.inputs.max_line_bytes);
}

export type { SyslogInputConfig } from './config.js';
export { SyslogInput } from './receiver.js';
export { SyslogInputMetrics } from './metrics.js';
export { syslogPayload } from './header.js';
