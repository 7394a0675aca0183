/** Counters of the http input (lowslow_http_input_*). */
export const HTTP_REJECT_REASONS = [
  'unauthorized',
  'not_json',
  'bad_shape',
  'too_large',
  'bad_encoding',
  'unsupported_encoding',
  'not_found',
  'bad_request',
  'timeout',
] as const;
export type HttpRejectReason = (typeof HTTP_REJECT_REASONS)[number];

export class HttpInputMetrics {
  /** Requests received, whatever their outcome. */
  requests = 0;
  /** Kong objects handed to the pipeline (POST /kong). */
  records = 0;
  /** Lines handed to the pipeline (POST /lines). */
  lines = 0;
  /** Requests answered 503 because the pipeline was full. */
  busy = 0;
  readonly rejected: Record<HttpRejectReason, number> = Object.fromEntries(HTTP_REJECT_REASONS.map((r) => [r, 0])) as Record<
    HttpRejectReason,
    number
  >;

  snapshot(): Record<string, number> {
    const out: Record<string, number> = {
      lowslow_http_input_requests_total: this.requests,
      lowslow_http_input_records_total: this.records,
      lowslow_http_input_lines_total: this.lines,
      lowslow_http_input_busy_total: this.busy,
    };
    for (const [reason, n] of Object.entries(this.rejected)) out[`lowslow_http_input_requests_rejected_total{reason="${reason}"}`] = n;
    return out;
  }
}
