/**
 * key_id = hex(HMAC-SHA256(secret, raw API key)), first 32 hex characters (DESIGN.md: key_id).
 * The cache keeps recent keys so the HMAC runs once per key, not once per request.
 */
import { createHmac } from 'node:crypto';

export function computeKeyId(secret: string, rawKey: string): string {
  return createHmac('sha256', secret).update(rawKey, 'utf8').digest('hex').slice(0, 32);
}

/**
 * Two generations of at most `max` entries each: a hit in the old generation moves to the new
 * one, and when the new one fills the old is dropped. Bounded memory, no per-hit reordering.
 */
export class KeyIdCache {
  private young = new Map<string, string>();
  private old = new Map<string, string>();

  constructor(
    private readonly secret: string,
    private readonly max = 10_000,
  ) {}

  get(rawKey: string): string {
    let id = this.young.get(rawKey);
    if (id !== undefined) return id;
    id = this.old.get(rawKey) ?? computeKeyId(this.secret, rawKey);
    if (this.young.size >= this.max) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(rawKey, id);
    return id;
  }
}
