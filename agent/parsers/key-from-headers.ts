/**
 * The raw API key from a logged header value. `Authorization: Bearer <token>` counts only when
 * the operator enabled `bearer`; other Authorization schemes (Basic …) are never a key.
 */

const BEARER = 'bearer ';

/** The token of `Bearer <token>` (scheme case-insensitive), or null. */
export function bearerToken(value: string): string | null {
  if (value.length <= BEARER.length || value.slice(0, BEARER.length).toLowerCase() !== BEARER) return null;
  const token = value.slice(BEARER.length).trim();
  return token === '' ? null : token;
}

/**
 * A logged key header value as a raw key: null when absent (`''`, `-`), for a bearer token when
 * `bearer` is off, and for any other Authorization scheme.
 */
export function keyFromHeaderValue(value: string, bearer: boolean): string | null {
  const v = value.trim();
  if (v === '' || v === '-') return null;
  const space = v.indexOf(' ');
  if (space < 0) return v;
  const scheme = v.slice(0, space).toLowerCase();
  if (scheme === 'bearer') return bearer ? bearerToken(v) : null;
  if (scheme === 'basic' || scheme === 'digest' || scheme === 'negotiate') return null;
  return v;
}
