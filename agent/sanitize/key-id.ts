/**
 * key_id = hex(HMAC-SHA256(secret, raw API key)), first 32 hex characters (DESIGN.md: key_id).
 * The cache keeps recent keys so the HMAC runs once per key, not once per request.
 */
import { createHmac } from 'node:crypto';
import { fnv1a32 } from '../../contracts/core.js';

export function computeKeyId(secret: string, rawKey: string): string {
  return createHmac('sha256', secret).update(rawKey, 'utf8').digest('hex').slice(0, 32);
}

/**
 * Recent results of a keyed hash, so the HMAC runs once per distinct input, not once per request.
 * Two generations of at most `max` entries each: a hit in the old generation moves to the new
 * one, and when the new one fills the old is dropped. Bounded memory, no per-hit reordering.
 */
/** Inputs longer than this are not cached (a key or a path segment is far shorter). */
const MAX_CACHED_CHARS = 256;

/**
 * A flat string that shares no memory with `s`. V8 keeps slices of 13 or more characters as views
 * into their parent, which a cached key would keep alive, and a lookup compares against the
 * cached key's characters: behind a view that is one more memory access, often a cache miss.
 */
function copyOf(s: string): string {
  if (s.length < 13) return s;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 255) return Buffer.from(s, 'utf16le').toString('utf16le');
  return Buffer.from(s, 'latin1').toString('latin1');
}

export class HashCache<V = string> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();

  constructor(
    private readonly compute: (input: string) => V,
    private readonly max = 10_000,
  ) {}

  get(input: string): V {
    let out = this.young.get(input);
    if (out !== undefined) return out;
    // Long inputs are hashed every time: a size bound per entry keeps the cache's memory bounded.
    if (input.length > MAX_CACHED_CHARS) return this.compute(input);
    out = this.old.get(input) ?? this.compute(input);
    if (this.young.size >= this.max) {
      this.old = this.young;
      this.young = new Map();
    }
    // A copy: the input is often a slice of the log line (or of the whole chunk read), which a
    // cached slice would keep in memory.
    this.young.set(copyOf(input), out);
    return out;
  }
}

/** A key_id and its FNV-1a hash, which picks its partition (contracts/subjects.ts). */
export interface KeyId {
  id: string;
  hash: number;
}

/** key_ids of recent raw keys, each with its hash: one lookup per line gives both. */
export class KeyIdCache extends HashCache<KeyId> {
  constructor(secret: string, max = 10_000) {
    super((rawKey) => {
      const id = computeKeyId(secret, rawKey);
      return { id, hash: fnv1a32(id) };
    }, max);
  }
}
