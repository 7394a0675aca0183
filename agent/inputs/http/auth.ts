/**
 * The optional shared token (`inputs.http.token`): requests must carry
 * `Authorization: Bearer <token>`. Compared in constant time over SHA-256 digests, so neither the
 * token's content nor its length leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^bearer[ \t]+(\S+)[ \t]*$/i;

/** A check for the Authorization header, or null when no token is configured. */
export function bearerCheck(token: string | undefined): ((authorization: string | undefined) => boolean) | null {
  if (token === undefined) return null;
  const expected = digest(token);
  return (authorization) => {
    const m = authorization === undefined ? null : BEARER.exec(authorization);
    // Compare a digest even without a token so a missing header costs the same.
    return timingSafeEqual(digest(m?.[1] ?? ''), expected) && m !== null;
  };
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
