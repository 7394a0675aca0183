/**
 * Ids a gateway logs are kept only in their own shape. A request id must look like one (UUIDs,
 * hex, NGINX `$request_id`): anything else is dropped and the sanitizer derives an id from the
 * line. A gateway-computed key_id must be ours (DESIGN.md: key_id). Scans, not regexes: this runs
 * for every line.
 */

/** `value` when it is 8 to 64 characters of [0-9A-Za-z_-], else null. */
export function requestIdOrNull(value: string): string | null {
  const n = value.length;
  if (n < 8 || n > 64) return null;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 45;
    if (!ok) return null;
  }
  return value;
}

/** `value` when it is 32 lowercase hex digits, else null. */
export function keyIdOrNull(value: string): string | null {
  if (value.length !== 32) return null;
  for (let i = 0; i < 32; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return null;
  }
  return value;
}
