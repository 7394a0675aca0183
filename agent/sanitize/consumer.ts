/**
 * The consumer behind a request, as the gateway knows it (Kong's consumer, a JWT subject), turned
 * into context.consumer_id: hex(HMAC-SHA256(secret, "consumer:" + identity)), first 32 hex
 * characters. The prefix keeps a consumer_id from ever equalling the key_id of the same text (Kong
 * without a key header profiles the consumer id as the key). Shared test vectors:
 * gateway-plugins/test-vectors/key-id.json (`consumer_vectors`).
 */
import { computeKeyId } from './key-id.js';

export const consumerIdOf = (secret: string, consumer: string): string => computeKeyId(secret, `consumer:${consumer}`);

/** Longest token and subject looked at: anything longer is not taken for a JWT. */
const MAX_TOKEN = 8192;
const MAX_SUBJECT = 256;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The `sub` claim of a JWT (`header.payload.signature`, base64url), unverified, or null when the
 * token is not a JWT or has no string subject. Never throws.
 */
export function jwtSubject(token: string): string | null {
  if (token.length > MAX_TOKEN) return null;
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) return null;
  const payload = token.slice(first + 1, second);
  if (!BASE64URL.test(payload)) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) return null;
  const sub = (claims as { sub?: unknown }).sub;
  return typeof sub === 'string' && sub !== '' && sub.length <= MAX_SUBJECT ? sub : null;
}
