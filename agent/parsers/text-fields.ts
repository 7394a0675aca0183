/**
 * Linear scanner for space-separated access-log lines (NGINX combined, Envoy default format):
 * splits a line into bare tokens and `"quoted"` tokens without regexes, so no input can make it
 * backtrack. Bounds land in a caller-owned Int32Array; nothing is allocated per token.
 *
 * A quoted token ends at a `"` that is not escaped by a backslash (in formats with escapes: NGINX
 * writes `\"`; Envoy escapes nothing) and is followed by a space, a tab or the end of the line:
 * Envoy does not escape quotes inside header values, so a bare `"` inside a user agent does not
 * end the field. A quote left open runs to the end of the line and
 * is marked OPEN.
 */

/** Slots per token in the bounds array: start, end (exclusive, inside the quotes), kind. */
export const SLOTS = 3;
export const BARE = 0;
export const QUOTED = 1;
/** A quoted token whose closing quote is missing: it runs to the end of the line. */
export const OPEN = 2;

const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;

const isBlank = (c: number) => c === SPACE || c === TAB;

/**
 * Splits `line` from `from` into tokens, writing SLOTS numbers per token into `out`; answers the
 * number of tokens. Stops when `out` is full (later tokens are ignored) or after an OPEN token.
 * Lines without tabs (nearly all) jump between spaces and quotes with indexOf; the rest walk
 * character by character. Both give the same tokens (test/unit/agent/text-fields.test.ts).
 */
export function scanTokens(line: string, from: number, out: Int32Array, escapes = true): number {
  return line.indexOf('\t', from) < 0 ? scanSpaced(line, from, out, escapes) : scanByChar(line, from, out, escapes);
}

/** scanTokens for a line whose only blank is the space. */
function scanSpaced(line: string, from: number, out: Int32Array, escapes: boolean): number {
  const end = line.length;
  const max = Math.floor(out.length / SLOTS);
  let n = 0;
  let i = from;
  // Position of the next backslash at or after the scan (end when none): escapes are rare.
  let backslash = escapes ? -1 : end;
  while (n < max) {
    while (i < end && line.charCodeAt(i) === SPACE) i++;
    if (i >= end) break;
    const o = n * SLOTS;
    n++;
    if (line.charCodeAt(i) === QUOTE) {
      const start = i + 1;
      let close = -1;
      let j = start;
      for (;;) {
        const q = line.indexOf('"', j);
        if (backslash < j && escapes) {
          backslash = line.indexOf('\\', j);
          if (backslash < 0) backslash = end;
        }
        if (backslash < (q < 0 ? end : q)) {
          close = closeByChar(line, j, end, true);
          break;
        }
        if (q < 0) break;
        if (q + 1 >= end || line.charCodeAt(q + 1) === SPACE) {
          close = q;
          break;
        }
        j = q + 1;
      }
      setQuoted(out, o, start, close, end);
      if (close < 0) break;
      i = close + 1;
    } else {
      let next = line.indexOf(' ', i);
      if (next < 0) next = end;
      out[o] = i;
      out[o + 1] = next;
      out[o + 2] = BARE;
      i = next;
    }
  }
  return n;
}

/** Bounds of a quoted token; one whose closing quote (`close`) is missing runs to `end`, OPEN. */
function setQuoted(out: Int32Array, o: number, start: number, close: number, end: number): void {
  out[o] = start;
  out[o + 1] = close < 0 ? end : close;
  out[o + 2] = close < 0 ? OPEN : QUOTED;
}

/** The closing quote of a quoted token, walking from `j` (not inside an escape); -1 when none. */
function closeByChar(line: string, j: number, end: number, escapes: boolean): number {
  while (j < end) {
    const c = line.charCodeAt(j);
    if (c === BACKSLASH && escapes) j += 2;
    else if (c === QUOTE && (j + 1 >= end || isBlank(line.charCodeAt(j + 1)))) return j;
    else j++;
  }
  return -1;
}

/** scanTokens one character at a time, for lines with tabs. */
export function scanByChar(line: string, from: number, out: Int32Array, escapes = true): number {
  const end = line.length;
  const max = Math.floor(out.length / SLOTS);
  let n = 0;
  let i = from;
  while (n < max) {
    while (i < end && isBlank(line.charCodeAt(i))) i++;
    if (i >= end) break;
    const o = n * SLOTS;
    n++;
    if (line.charCodeAt(i) === QUOTE) {
      const start = i + 1;
      const close = closeByChar(line, start, end, escapes);
      setQuoted(out, o, start, close, end);
      if (close < 0) break;
      i = close + 1;
    } else {
      const start = i;
      while (i < end && !isBlank(line.charCodeAt(i))) i++;
      out[o] = start;
      out[o + 1] = i;
      out[o + 2] = BARE;
    }
  }
  return n;
}

/**
 * The text of token `t`, with `\"` and `\\` unescaped (other escapes such as NGINX's `\x22` stay);
 * as it is when the format has no escapes (Envoy's).
 */
export function tokenText(line: string, bounds: Int32Array, t: number, escapes = true): string {
  const start = bounds[t * SLOTS] ?? 0;
  const end = bounds[t * SLOTS + 1] ?? 0;
  const first = escapes ? line.indexOf('\\', start) : -1;
  if (first < 0 || first >= end) return line.slice(start, end);
  let s = line.slice(start, first);
  let i = first;
  while (i < end) {
    const c = line.charCodeAt(i);
    const next = i + 1 < end ? line.charCodeAt(i + 1) : -1;
    if (c === BACKSLASH && (next === QUOTE || next === BACKSLASH)) {
      s += line.charAt(i + 1);
      i += 2;
    } else {
      s += line.charAt(i);
      i++;
    }
  }
  return s;
}

/** The kind of token `t` (BARE, QUOTED or OPEN). */
export const tokenKind = (bounds: Int32Array, t: number): number => bounds[t * SLOTS + 2] ?? BARE;

/**
 * Token `t` as a count (status, bytes, milliseconds): its value, 0 for `-` or an empty token, -1
 * when it is not a plain non-negative integer of at most 15 digits.
 */
export function tokenCount(line: string, bounds: Int32Array, t: number): number {
  const start = bounds[t * SLOTS] ?? 0;
  const end = bounds[t * SLOTS + 1] ?? 0;
  if (end <= start) return 0;
  if (end - start === 1 && line.charCodeAt(start) === 45) return 0;
  if (end - start > 15) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = line.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    v = v * 10 + d;
  }
  return v;
}
