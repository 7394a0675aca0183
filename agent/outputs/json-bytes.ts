/**
 * JSON values written as UTF-8 straight into a byte buffer: ASCII strings and safe integers byte
 * by byte, anything else through JSON.stringify, so the bytes are always those of
 * `Buffer.from(JSON.stringify(value))`. Batches of events are written this way instead of
 * building a string per event and encoding it again (agent/outputs/event-json.ts).
 *
 * The writers take and return a position and never check room: the caller reserves an upper
 * bound first (`stringBound`, NUMBER_BYTES), so the hot loop is plain stores that inline.
 */

/** Worst case UTF-8 bytes of one UTF-16 unit in a JSON string (`\u001f`, a lone surrogate `\udfff`), plus quotes. */
export const stringBound = (s: string): number => 6 * s.length + 2;

/** Longest JSON number text (`-1.2345678901234567e-308`). */
export const NUMBER_BYTES = 25;

/** An ASCII text that needs no escaping: keys, punctuation, enum values. */
export function putRaw(buf: Uint8Array, pos: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
  return pos;
}

/** A JSON string literal. */
export function putString(buf: Buffer, pos: number, s: string): number {
  const start = pos;
  buf[pos++] = 34;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Control characters, `"`, `\` and everything past ASCII take JSON.stringify's path.
    if (c < 32 || c === 34 || c === 92 || c > 127) return start + buf.write(JSON.stringify(s), start, 'utf8');
    buf[pos++] = c;
  }
  buf[pos++] = 34;
  return pos;
}

/** Digits of a non-negative integer below 2^31. */
function putSmallInt(buf: Uint8Array, pos: number, n: number, minDigits: number): number {
  let digits = 1;
  for (let x = n; x >= 10; x = (x / 10) | 0) digits++;
  if (digits < minDigits) digits = minDigits;
  const end = pos + digits;
  let x = n;
  for (let at = end - 1; at >= pos; at--) {
    const q = (x / 10) | 0;
    buf[at] = 48 + x - q * 10;
    x = q;
  }
  return end;
}

/** A JSON number (`null` for NaN and infinities, as JSON.stringify writes them). */
export function putNumber(buf: Uint8Array, pos: number, n: number): number {
  if (n >= 0 && n <= Number.MAX_SAFE_INTEGER && Math.floor(n) === n) {
    if (n < 2 ** 31) return putSmallInt(buf, pos, n, 1);
    // Up to 16 digits: the top part, then the last 8 zero-padded.
    const high = Math.floor(n / 1e8);
    return putSmallInt(buf, putSmallInt(buf, pos, high, 1), n - high * 1e8, 8);
  }
  return putRaw(buf, pos, JSON.stringify(n));
}

/** A growable buffer that values are written into at `pos`. */
export class JsonBytes {
  buf: Buffer;
  pos = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Room for `n` more bytes. */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.pos + n));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  /** A copy of the bytes written since `from`. */
  copy(from = 0): Uint8Array {
    return Uint8Array.prototype.slice.call(this.buf, from, this.pos);
  }
}
