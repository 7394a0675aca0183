/**
 * Cuts a stream of text chunks into lines: `\n` or `\r\n` ends a line, a last line without a
 * newline still counts. Memory stays bounded: a line longer than `maxLineBytes` is handed on cut
 * to `maxLineBytes + 1` characters (so the parser rejects it as too_long, where every input's
 * rejects are counted), and once a line outgrows the limit before its newline arrives, the rest of
 * it is skipped instead of kept.
 */
export class LineSplitter {
  private carry = '';
  private skipping = false;
  /** Lines longer than maxLineBytes (handed on cut). */
  oversize = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** The lines this chunk completes, in order. */
  push(chunk: string): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      if (this.skipping) this.skipping = false;
      else lines.push(this.cut(stripCr(this.carry.length > 0 ? this.carry + chunk.slice(start, nl) : chunk.slice(start, nl))));
      this.carry = '';
      start = nl + 1;
    }
    if (start < chunk.length && !this.skipping) {
      this.carry = this.carry.length > 0 ? this.carry + chunk.slice(start) : chunk.slice(start);
      // One more than the limit may still be a line of maxLineBytes whose \r\n is split across chunks.
      if (this.carry.length > this.maxLineBytes + 1) {
        lines.push(this.cut(this.carry));
        this.carry = '';
        this.skipping = true;
      }
    }
    return lines;
  }

  /** The last line when the input ended without a newline. */
  end(): string[] {
    const last = this.skipping ? '' : this.cut(stripCr(this.carry));
    this.carry = '';
    this.skipping = false;
    return last.length > 0 ? [last] : [];
  }

  /** Over-long lines go on as `maxLineBytes + 1` characters: enough for the parser to reject them. */
  private cut(line: string): string {
    if (line.length <= this.maxLineBytes) return line;
    this.oversize++;
    return line.slice(0, this.maxLineBytes + 1);
  }
}

function stripCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}
