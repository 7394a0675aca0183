/**
 * Distinct objects in a window, in a fixed 256 bytes: linear counting over a 2048-bit bitmap
 * (Whang et al., 1990). Accurate to a few percent up to ~4,000 distinct objects per window, and
 * still monotone beyond, which is all a window feature needs.
 */
export const SKETCH_BYTES = 256;
const BITS = SKETCH_BYTES * 8;

/** FNV-1a over the object's text, with the route so /a/1 and /b/1 are different objects. */
export function objectHash(route: string, id: number | string): number {
  let h = 0x811c9dc5;
  const s = typeof id === 'number' ? String(id) : id;
  for (let i = 0; i < route.length; i++) h = Math.imul(h ^ route.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ 0x2f, 0x01000193);
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  // Final avalanche so the low bits used for the index are well mixed.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

export function sketchAdd(bits: Uint8Array, route: string, id: number | string): void {
  sketchAddObject(bits, objectHash(route, id));
}

/** Adds an object by its objectHash (computed once per object, shared with the coverage sketch). */
export function sketchAddObject(bits: Uint8Array, hash: number): void {
  const i = hash % BITS;
  bits[i >>> 3] = (bits[i >>> 3] as number) | (1 << (i & 7));
}

export function sketchEstimate(bits: Uint8Array): number {
  let set = 0;
  for (let i = 0; i < bits.length; i++) {
    let b = bits[i] as number;
    while (b) {
      b &= b - 1;
      set++;
    }
  }
  if (set === 0) return 0;
  const zero = BITS - set;
  if (zero === 0) return Math.round(BITS * Math.log(BITS));
  return Math.round(-BITS * Math.log(zero / BITS));
}
