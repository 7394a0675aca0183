/**
 * Reading Kong's decoded tables: `kong.request.get_headers()` (lower-case names, repeated headers
 * as arrays) and `kong.request.get_query()` (`?a` is `true`, repeated names are arrays).
 */

/** The header's value, the first one when repeated, or '' when absent. */
export function headerValue(headers: Record<string, unknown> | null, name: string): string {
  if (headers === null) return '';
  const v = headers[name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return '';
}

/**
 * Percent-encoding that cannot throw: a lone surrogate (JSON allows `"\ud800"`) makes
 * encodeURIComponent throw URIError, so such a text is encoded with U+FFFD in its place.
 */
function encode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
  }
}

/** Rebuilds a raw query string from Kong's query table (values percent-encoded again). */
export function queryFromKong(table: unknown): string {
  if (table === null || typeof table !== 'object' || Array.isArray(table)) return '';
  const parts: string[] = [];
  for (const [name, value] of Object.entries(table as Record<string, unknown>)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      const k = encode(name);
      if (v === true) parts.push(k);
      else if (typeof v === 'string' || typeof v === 'number') parts.push(`${k}=${encode(String(v))}`);
      // false and nested tables are not query values Kong produces; skip them.
    }
  }
  return parts.join('&');
}
