/** Counters of the stdin input (lowslow_stdin_input_*). */
export class StdinInputMetrics {
  /** Lines handed to the pipeline. */
  lines = 0;
  /** Lines longer than inputs.max_line_bytes, handed on cut (the parser rejects them as too_long). */
  oversize = 0;
  /** Times the stream was paused because the pipeline was full. */
  pauses = 0;

  snapshot(): Record<string, number> {
    return {
      lowslow_stdin_input_lines_total: this.lines,
      lowslow_stdin_input_lines_oversize_total: this.oversize,
      lowslow_stdin_input_pauses_total: this.pauses,
    };
  }
}
