/**
 * How many distinct objects of one route a key read over the last 7 and 30 days, in 160 bytes:
 * a HyperLogLog (Flajolet et al., 2007) of 64 registers whose registers forget. Each register
 * keeps two (rank, day) slots: the highest rank seen in the last 30 days with the last day it
 * was reached, and the highest rank seen after that day. When the first slot ages past 30 days
 * the second takes its place (a list of possible future maxima, as in the sliding HyperLogLog of
 * Chabchoub and Hébrail, 2010, cut to two entries). Days are kept modulo 32 beside the sketch's
 * own day, which is enough because nothing older than 30 days is kept.
 *
 * Error: the standard error of 64 registers is 1.04 / √64 = 13 % (linear counting below
 * 2.5 · 64 = 160 objects is closer); a merge is register-wise, so the union of several keys'
 * sketches estimates the objects they read together. Cutting the list to two entries can only
 * lose registers, so estimates read low, never high: the 30-day one hardly (the first slot is the
 * 30-day maximum), the 7-day one by much for a steady stream of old and new objects (it is close
 * when the last week's objects are new ones, a scraper's), which is why only the 30-day one
 * decides anything.
 */
export const REGISTERS = 64;
const INDEX_BITS = 6;
/** Ranks go up to 32 - INDEX_BITS + 1 = 27 and fit in 5 bits, as do days modulo 32. */
const MAX_RANK = 32 - INDEX_BITS + 1;
/** Longest horizon any estimate looks back; entries this old are dropped. */
export const HORIZON_DAYS = 30;
/** Packed: 20 bits a register (rank, day, rank, day, five bits each), two registers in 5 bytes. */
export const PACKED_BYTES = (REGISTERS * 20) / 8;
const DAY_MS = 86_400_000;
const ALPHA = 0.709;

/** Decoded: per register [hi rank, hi day mod 32, lo rank, lo day mod 32]; rank 0 is an empty slot. */
export interface CoverageSketch {
  /** The day (days since the epoch) of the latest object added: every kept day lies in (day - 30, day]. */
  day: number;
  slots: Uint8Array;
}

export function newSketch(day = 0): CoverageSketch {
  return { day, slots: new Uint8Array(REGISTERS * 4) };
}

export const dayOf = (ts: number): number => Math.floor(ts / DAY_MS);

/** Murmur3's 32-bit finaliser: the index takes the top bits, which must depend on every input bit. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The real day of a slot day kept modulo 32, given the sketch's day. */
function realDay(sketchDay: number, mod: number): number {
  return sketchDay - ((((sketchDay - mod) % 32) + 32) % 32);
}

/**
 * Puts (rank, day) into register j. The register keeps the highest rank (latest day on ties) and,
 * after that day, the highest rank again: the same answer whatever order the pairs came in, as
 * long as no pair was cut for being a third.
 */
function place(s: CoverageSketch, j: number, rank: number, day: number): void {
  const b = j * 4;
  const slots = s.slots;
  const hr = slots[b] as number;
  const hd = hr === 0 ? -Infinity : realDay(s.day, slots[b + 1] as number);
  const lr = slots[b + 2] as number;
  const ld = lr === 0 ? -Infinity : realDay(s.day, slots[b + 3] as number);
  if (rank > hr || (rank === hr && day >= hd)) {
    // The new pair is the register's maximum; the second slot becomes the best of the old pairs
    // that came after it (the old maximum before the old second on rank, the later one on ties).
    if (hd > day && !(ld > day && lr === hr)) {
      slots[b + 2] = hr;
      slots[b + 3] = slots[b + 1] as number;
    } else if (ld > day) {
      // the old second slot stays
    } else {
      slots[b + 2] = 0;
      slots[b + 3] = 0;
    }
    slots[b] = rank;
    slots[b + 1] = day & 31;
    return;
  }
  // Below the maximum: it matters only after the maximum's day, as the best of what came later.
  if (day <= hd) return;
  if (rank > lr || (rank === lr && day >= ld)) {
    slots[b + 2] = rank;
    slots[b + 3] = day & 31;
  }
}

/** Moves the sketch to `day`: slots older than the horizon are dropped, second slots move up. */
export function advance(s: CoverageSketch, day: number): void {
  if (day <= s.day) return;
  const slots = s.slots;
  for (let j = 0; j < REGISTERS; j++) {
    const b = j * 4;
    if (slots[b] === 0) continue;
    const lr = slots[b + 2] as number;
    const hAge = day - realDay(s.day, slots[b + 1] as number);
    const lAge = lr === 0 ? Infinity : day - realDay(s.day, slots[b + 3] as number);
    if (hAge < HORIZON_DAYS) continue;
    if (lAge < HORIZON_DAYS) {
      slots[b] = lr;
      slots[b + 1] = slots[b + 3] as number;
    } else {
      slots[b] = 0;
      slots[b + 1] = 0;
    }
    slots[b + 2] = 0;
    slots[b + 3] = 0;
  }
  s.day = day;
}

/** Adds an object by its 32-bit hash, read on `day`. */
export function sketchAddHash(s: CoverageSketch, hash: number, day: number): void {
  if (day > s.day) advance(s, day);
  else if (day <= s.day - HORIZON_DAYS) return;
  const h = fmix(hash);
  const j = h >>> (32 - INDEX_BITS);
  const rest = (h << INDEX_BITS) >>> 0;
  const rank = Math.min(MAX_RANK, Math.clz32(rest) + 1);
  const b = j * 4;
  // The common case, a rank below what the register holds from today, costs two comparisons.
  if (rank <= (s.slots[b] as number) && (s.slots[b + 1] as number) === (day & 31) && day === s.day) return;
  place(s, j, rank, day);
}

/** Estimated distinct objects read in the `days` days ending with `day` (day included). */
export function estimate(s: CoverageSketch, day: number, days: number = HORIZON_DAYS): number {
  const slots = s.slots;
  let sum = 0;
  let zeros = 0;
  for (let j = 0; j < REGISTERS; j++) {
    const b = j * 4;
    let r = 0;
    const hr = slots[b] as number;
    if (hr > 0 && day - realDay(s.day, slots[b + 1] as number) < days) r = hr;
    else {
      const lr = slots[b + 2] as number;
      if (lr > 0 && day - realDay(s.day, slots[b + 3] as number) < days) r = lr;
    }
    if (r === 0) zeros++;
    sum += 2 ** -r;
  }
  const raw = (ALPHA * REGISTERS * REGISTERS) / sum;
  if (raw <= 2.5 * REGISTERS && zeros > 0) return REGISTERS * Math.log(REGISTERS / zeros);
  return raw;
}

/** Adds everything `from` holds to `into` (register-wise): the union of what both read. */
export function merge(into: CoverageSketch, from: CoverageSketch): void {
  const day = Math.max(into.day, from.day);
  advance(into, day);
  const f = from.slots;
  for (let j = 0; j < REGISTERS; j++) {
    const b = j * 4;
    for (let k = 0; k < 4; k += 2) {
      const r = f[b + k] as number;
      if (r === 0) continue;
      const d = realDay(from.day, f[b + k + 1] as number);
      if (day - d >= HORIZON_DAYS) continue;
      place(into, j, r, d);
    }
  }
}

export function copySketch(s: CoverageSketch): CoverageSketch {
  return { day: s.day, slots: new Uint8Array(s.slots) };
}

/** The 160 packed bytes as base64 (216 characters): what a key's profile stores. */
export function encodeSketch(s: CoverageSketch): string {
  const out = new Uint8Array(PACKED_BYTES);
  const slots = s.slots;
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < REGISTERS * 4; i++) {
    acc = acc * 32 + ((slots[i] as number) & 31);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      const div = 2 ** bits;
      out[o++] = Math.floor(acc / div);
      acc %= div;
    }
  }
  return Buffer.from(out).toString('base64');
}

export function decodeSketch(text: string, day: number): CoverageSketch {
  const s = newSketch(day);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== PACKED_BYTES) return s;
  const slots = s.slots;
  let acc = 0;
  let bits = 0;
  let i = 0;
  for (const byte of bytes) {
    acc = acc * 256 + byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      const div = 2 ** bits;
      slots[i++] = Math.floor(acc / div);
      acc %= div;
    }
  }
  return s;
}
