/** Counters of the Envoy ALS input (lowslow_envoy_als_input_*). */
export class EnvoyAlsInputMetrics {
  /** StreamAccessLogs calls opened (one per Envoy connection; reconnects open new ones). */
  streamsOpened = 0;
  /**
   * Streams over, however they ended: Envoy's streams live as long as its connection, so a
   * disconnect is their normal end and is not told apart from a half-close.
   */
  streamsClosed = 0;
  /** StreamAccessLogsMessages received. */
  messages = 0;
  /** HTTP entries handed to the pipeline (records and rejections). */
  httpEntries = 0;
  /** HTTP entries skipped because they are periodic or start-of-request entries. */
  intermediateSkipped = 0;
  /** TCP entries received and skipped. */
  tcpSkipped = 0;
  /** Times streams were paused because the pipeline was full. */
  pauses = 0;

  snapshot(): Record<string, number> {
    return {
      lowslow_envoy_als_input_streams_opened_total: this.streamsOpened,
      lowslow_envoy_als_input_streams_closed_total: this.streamsClosed,
      lowslow_envoy_als_input_streams_open: this.streamsOpened - this.streamsClosed,
      lowslow_envoy_als_input_messages_total: this.messages,
      lowslow_envoy_als_input_http_entries_total: this.httpEntries,
      lowslow_envoy_als_input_intermediate_entries_skipped_total: this.intermediateSkipped,
      lowslow_envoy_als_input_tcp_entries_skipped_total: this.tcpSkipped,
      lowslow_envoy_als_input_pauses_total: this.pauses,
    };
  }
}
