/**
 * An HTTP request line as logged by NGINX `$request` and Envoy's default format:
 * `GET /path?query HTTP/1.1` → method, path, query. Also the target alone (`/path?query`) for
 * JSON formats. null when there is no usable origin-form path (`""`, `-`, `- - -`, `CONNECT
 * host:443`, TLS bytes sent to a plain-text port).
 */

export interface RequestTarget {
  path: string;
  /** Raw query string without the leading `?`. */
  query: string;
}

export interface RequestLine extends RequestTarget {
  /** As given: odd or long methods are the sanitizer's business. */
  method: string;
}

/** Splits a request target; absolute-form `http://host/path` keeps only the path. */
export function splitTarget(target: string): RequestTarget | null {
  let start = 0;
  if (target.charCodeAt(0) !== 47 /* / */) {
    const scheme = target.indexOf('://');
    if (scheme < 0 || scheme > 5) return null;
    const lower = target.slice(0, scheme).toLowerCase();
    if (lower !== 'http' && lower !== 'https') return null;
    start = scheme + 3;
    while (start < target.length) {
      const c = target.charCodeAt(start);
      if (c === 47 || c === 63 /* ? */) break;
      start++;
    }
  }
  const q = target.indexOf('?', start);
  let path = q < 0 ? target.slice(start) : target.slice(start, q);
  if (path === '') path = '/';
  return { path, query: q < 0 ? '' : target.slice(q + 1) };
}

/** Parses `METHOD target [PROTOCOL]`; null when it has no method or no usable target. */
export function parseRequestLine(line: string): RequestLine | null {
  const firstSpace = line.indexOf(' ');
  if (firstSpace <= 0) return null;
  const method = line.slice(0, firstSpace);
  let targetEnd = line.length;
  const lastSpace = line.lastIndexOf(' ');
  // The protocol is optional (HTTP/0.9); a target with spaces in it keeps them.
  if (lastSpace > firstSpace && line.startsWith('HTTP/', lastSpace + 1)) targetEnd = lastSpace;
  const target = splitTarget(line.slice(firstSpace + 1, targetEnd));
  if (target === null) return null;
  return { method, path: target.path, query: target.query };
}
