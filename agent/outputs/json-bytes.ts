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

/**
 * A string the caller knows is printable ASCII without `"` or `\\` (hex ids, validated names,
 * addresses), as a JSON string literal: no per-character checks.
 */
export function putSafeString(buf: Uint8Array, pos: number, s: string): number {
  buf[pos++] = 34;
  for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
  buf[pos++] = 34;
  return pos;
}

/** Printable ASCII other than `"` and `\\`: a JSON string's characters as they are. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/** From this length on, one native check and one native copy beat the loop below. */
const LONG = 40;

/** A JSON string literal. */
export function putString(buf: Buffer, pos: number, s: string): number {
  if (s.length >= LONG && PLAIN.test(s)) {
    buf[pos] = 34;
    pos += 1 + buf.write(s, pos + 1, 'latin1');
    buf[pos++] = 34;
    return pos;
  }
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

/** "00" to "99": two digits per division. */
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 48 + ((i / 10) | 0);
  PAIRS[2 * i + 1] = 48 + (i % 10);
}

/** Decimal digits of a non-negative integer below 2^31. */
function digitsOf(n: number): number {
  if (n < 100_000) return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10_000 ? 4 : 5;
  return n < 1_000_000 ? 6 : n < 10_000_000 ? 7 : n < 100_000_000 ? 8 : n < 1_000_000_000 ? 9 : 10;
}

/** Digits of a non-negative integer below 2^31, zero-padded to `minDigits`. */
function putSmallInt(buf: Uint8Array, pos: number, n: number, minDigits: number): number {
  if (n < 10 && minDigits === 1) {
    buf[pos] = 48 + n;
    return pos + 1;
  }
  const digits = Math.max(digitsOf(n), minDigits);
  const end = pos + digits;
  let at = end;
  let x = n;
  while (at - pos >= 2) {
    const q = (x / 100) | 0;
    const pair = 2 * (x - q * 100);
    buf[--at] = PAIRS[pair + 1] as number;
    buf[--at] = PAIRS[pair] as number;
    x = q;
  }
  if (at > pos) buf[--at] = 48 + x;
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

/**
 * An ASCII text known when the module loads (keys and punctuation), as little-endian 32-bit words
 * and a tail: written four bytes a store through a DataView, which the optimizing compiler turns
 * into one unaligned store, instead of one byte and one charCodeAt per character.
 */
export interface Chunk {
  words: Uint32Array;
  tail: Uint8Array;
  bytes: number;
}

export function chunk(text: string): Chunk {
  if (!/^[\x00-\x7f]*$/.test(text)) throw new Error(`not ASCII: ${text}`);
  const b = Buffer.from(text, 'latin1');
  const words = new Uint32Array(b.length >>> 2);
  for (let i = 0; i < words.length; i++) words[i] = b.readUInt32LE(4 * i);
  return { words, tail: Uint8Array.from(b.subarray(4 * words.length)), bytes: b.length };
}

export function putChunk(view: DataView, buf: Uint8Array, pos: number, c: Chunk): number {
  const words = c.words;
  for (let i = 0; i < words.length; i++) {
    view.setUint32(pos, words[i] as number, true);
    pos += 4;
  }
  const tail = c.tail;
  for (let i = 0; i < tail.length; i++) buf[pos++] = tail[i] as number;
  return pos;
}

/** A growable buffer that values are written into at `pos`. */
export class JsonBytes {
  buf!: Buffer;
  /** The same bytes as `buf`, for putChunk. */
  view!: DataView;
  pos = 0;

  constructor(initialBytes = 64 * 1024) {
    this.use(Buffer.allocUnsafe(initialBytes));
  }

  /** Writes go to `buf` from now on (its bytes are not copied). */
  use(buf: Buffer): void {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** Room for `n` more bytes. */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.pos + n));
    this.buf.copy(grown, 0, 0, this.pos);
    this.use(grown);
  }

  /** A copy of the bytes written since `from`. */
  copy(from = 0): Uint8Array {
    return Uint8Array.prototype.slice.call(this.buf, from, this.pos);
  }
}
