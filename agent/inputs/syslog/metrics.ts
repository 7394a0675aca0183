/** Counters of the syslog input (lowslow_syslog_input_*). */
import { udpKernelDrops } from './kernel-drops.js';

export class SyslogInputMetrics {
  /** The bound UDP port, once listening: the kernel's drop count is read for it. */
  port: number | null = null;
  /** Datagrams read from the socket. */
  datagrams = 0;
  /** Datagrams dropped because the pipeline was full (UDP cannot be paused). */
  dropped = 0;
  /** Datagrams without a syslog header, handed over whole. */
  unframed = 0;
  /** Lines longer than inputs.max_line_bytes (handed over; the parser rejects them as too_long). */
  oversize = 0;

  /** Datagrams the kernel dropped before the agent could read them (Linux), or null. */
  kernelDrops(): number | null {
    return this.port === null ? null : udpKernelDrops(this.port);
  }

  snapshot(): Record<string, number> {
    const kernel = this.kernelDrops();
    return {
      ...(kernel === null ? {} : { lowslow_syslog_input_datagrams_kernel_dropped_total: kernel }),
      lowslow_syslog_input_datagrams_total: this.datagrams,
      lowslow_syslog_input_datagrams_dropped_total: this.dropped,
      lowslow_syslog_input_datagrams_unframed_total: this.unframed,
      lowslow_syslog_input_lines_oversize_total: this.oversize,
    };
  }
}
