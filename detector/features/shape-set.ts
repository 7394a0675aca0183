/**
 * Parameter shapes seen, as bloom filters: a key's own in its profile (1,024 bits) and its
 * partition's in the population (8,192 bits, two generations so it forgets slowly instead of
 * filling up). A shape is its route, the parameter's name, type, length class and character
 * classes. Bounded whatever the traffic: a false positive only makes a new shape look known.
 */
import type { ParamShape } from '../../contracts/index.js';

export const KEY_SHAPE_BYTES = 128;
export const POP_SHAPE_BYTES = 1024;
const HASHES = 3;
/** A key's filter starts over past this share of bits set (~300 shapes), the population's rotates. */
const KEY_FULL = 0.5;
const POP_ROTATE = 0.3;

/** Decoded filters by owner object and field; the base64 field is rewritten whenever bits are added. */
const decoded = new WeakMap<object, Record<string, Uint8Array>>();

function bits(owner: object, field: string, bytes: number): Uint8Array {
  let c = decoded.get(owner);
  if (!c) decoded.set(owner, (c = {}));
  let b = c[field];
  if (!b) {
    const s = (owner as Record<string, unknown>)[field];
    b = typeof s === 'string' && s !== '' ? new Uint8Array(Buffer.from(s, 'base64')) : new Uint8Array(bytes);
    if (b.length !== bytes) b = new Uint8Array(bytes);
    c[field] = b;
  }
  return b;
}

function encode(owner: object, field: string, b: Uint8Array): void {
  (owner as Record<string, unknown>)[field] = Buffer.from(b).toString('base64');
}

function forget(owner: object, field: string): void {
  const c = decoded.get(owner);
  if (c) delete c[field];
  (owner as Record<string, unknown>)[field] = '';
}

/** Murmur3's finaliser: the filters index with low bits, which must depend on every bit of the signature. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function has(b: Uint8Array, sig: number): boolean {
  const n = b.length * 8;
  const first = mix(sig);
  const step = (mix(sig ^ 0x5bd1e995) | 1) >>> 0;
  for (let i = 0; i < HASHES; i++) {
    const j = (first + i * step) % n;
    if (((b[j >>> 3] as number) & (1 << (j & 7))) === 0) return false;
  }
  return true;
}

function add(b: Uint8Array, sig: number): void {
  const n = b.length * 8;
  const first = mix(sig);
  const step = (mix(sig ^ 0x5bd1e995) | 1) >>> 0;
  for (let i = 0; i < HASHES; i++) {
    const j = (first + i * step) % n;
    b[j >>> 3] = (b[j >>> 3] as number) | (1 << (j & 7));
  }
}

function fill(b: Uint8Array): number {
  let set = 0;
  for (let i = 0; i < b.length; i++) {
    let x = b[i] as number;
    while (x) {
      x &= x - 1;
      set++;
    }
  }
  return set / (b.length * 8);
}

const fnv = (h: number, s: string): number => {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return Math.imul(h ^ 0x1f, 0x01000193);
};

/** The hash a route's shape signatures start from (computed once per event). */
export function routeSeed(route: string): number {
  return fnv(0x811c9dc5, route);
}

/** Signature of one parameter's shape on a route. Values never enter it, numbers included. */
export function shapeSignature(seed: number, p: ParamShape): number {
  let h = fnv(fnv(fnv(seed, p.name), p.type), p.chars);
  h = Math.imul(h ^ p.len, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

export interface ShapeOwners {
  /** The key's profile (`shapes`). */
  key: { shapes: string };
  /** The partition's population (`shapes`, `shapes_old`). */
  population: { shapes: string; shapes_old: string };
}

export function keyKnows(key: ShapeOwners['key'], sig: number): boolean {
  return has(bits(key, 'shapes', KEY_SHAPE_BYTES), sig);
}

export function populationKnows(pop: ShapeOwners['population'], sig: number): boolean {
  return has(bits(pop, 'shapes', POP_SHAPE_BYTES), sig) || has(bits(pop, 'shapes_old', POP_SHAPE_BYTES), sig);
}

/** The key learns the shapes of a closed window. */
export function learnKeyShapes(key: ShapeOwners['key'], sigs: readonly number[]): void {
  if (sigs.length === 0) return;
  let b = bits(key, 'shapes', KEY_SHAPE_BYTES);
  if (fill(b) > KEY_FULL) {
    forget(key, 'shapes');
    b = bits(key, 'shapes', KEY_SHAPE_BYTES);
  }
  for (const s of sigs) add(b, s);
  encode(key, 'shapes', b);
}

/** The population learns the shapes of a window that did not alert. */
export function learnPopulationShapes(pop: ShapeOwners['population'], sigs: readonly number[]): void {
  if (sigs.length === 0) return;
  let b = bits(pop, 'shapes', POP_SHAPE_BYTES);
  if (fill(b) > POP_ROTATE) {
    pop.shapes_old = pop.shapes;
    const c = decoded.get(pop);
    if (c) c.shapes_old = b;
    forget(pop, 'shapes');
    b = bits(pop, 'shapes', POP_SHAPE_BYTES);
  }
  for (const s of sigs) add(b, s);
  encode(pop, 'shapes', b);
}
