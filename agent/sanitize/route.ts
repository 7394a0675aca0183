/**
 * Route templating: `/v1/customers/123` → `/v1/customers/{int}` with object id 123.
 * Numeric ids stay numbers; other ids become short keyed hashes so they never travel raw.
 * A segment is classified by one scan of its characters, in place in the path (no regex, no
 * slice for a literal segment), and the route copies the path's literal runs between ids.
 */
const MAX_SEGMENTS = 32;
const MAX_OBJECTS = 16;
const MAX_SEGMENT_CHARS = 64;
/** Digits an {int} may have: every such value is an exact double. */
const MAX_INT_DIGITS = 15;

export type SegmentClass = 'int' | 'uuid' | 'hex' | 'email' | 'id' | null;

const PLACEHOLDER = { int: '{int}', uuid: '{uuid}', hex: '{hex}', email: '{email}', id: '{id}' } as const;

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102);
}

/** 8-4-4-4-12 hex digits at s[from, from + 36). */
function isUuid(s: string, from: number): boolean {
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(from + i);
    if (i === 8 || i === 13 || i === 18 || i === 23 ? c !== 45 /* - */ : !isHexDigit(c)) return false;
  }
  return true;
}

/** The class of the segment s[from, to) (not empty), or null when it is a literal part of the route. */
function classifyRange(s: string, from: number, to: number): SegmentClass {
  const n = to - from;
  let digits = 0;
  let letters = 0;
  let hexLetters = 0;
  let other = 0;
  let at = -1;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      letters++;
      if ((c | 32) <= 102) hexLetters++;
    } else if (c === 64 /* @ */) at = i;
    else other++;
  }
  if (digits === n && n <= MAX_INT_DIGITS) return 'int';
  if (n === 36 && other === 4 && isUuid(s, from)) return 'uuid';
  if (n >= 16 && digits + hexLetters === n) return 'hex';
  if (at > from) {
    const dot = s.indexOf('.', at);
    if (dot > at + 1 && dot < to) return 'email';
  }
  // Mixed letters and digits (SKU-12345, a1b2c3d4), or anything too long or odd to be a word.
  if (n > MAX_SEGMENT_CHARS || other > 2 || (digits > 0 && letters + digits >= 4 && digits * 4 >= n)) return 'id';
  return null;
}

/** Classifies a path segment, or null when it is a literal part of the route. */
export function classifySegment(seg: string): SegmentClass {
  return seg.length === 0 ? null : classifyRange(seg, 0, seg.length);
}

/** The value of the digits s[from, to) (at most MAX_INT_DIGITS of them). */
function intValue(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + (s.charCodeAt(i) - 48);
  return v;
}

export interface TemplatedRoute {
  route: string;
  objects: Array<number | string>;
}

export function templateRoute(path: string, hashObject: (segment: string) => string): TemplatedRoute {
  const objects: Array<number | string> = [];
  let route = '';
  // path[copied, …) is literal text not yet in the route.
  let copied = 0;
  let more = false;
  let from = 0;
  for (let i = 0; i <= MAX_SEGMENTS; i++) {
    let to = path.indexOf('/', from);
    if (to < 0) to = path.length;
    if (to > from) {
      const cls = classifyRange(path, from, to);
      if (cls !== null) {
        route += copied === from ? PLACEHOLDER[cls] : path.slice(copied, from) + PLACEHOLDER[cls];
        copied = to;
        if (objects.length < MAX_OBJECTS) objects.push(cls === 'int' ? intValue(path, from, to) : hashObject(path.slice(from, to)));
      }
    }
    if (to === path.length) break;
    from = to + 1;
    if (i === MAX_SEGMENTS) {
      route += `${path.slice(copied, to)}/{more}`;
      more = true;
    }
  }
  if (!more) route = copied === 0 ? path : route + path.slice(copied);
  if (route.length > 512) route = `${route.slice(0, 505)}/{more}`;
  return { route: route === '' ? '/' : route, objects };
}
