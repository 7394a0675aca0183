/**
 * Route templating: `/v1/customers/123` → `/v1/customers/{int}` with object id 123.
 * Numeric ids stay numbers; other ids become short keyed hashes so they never travel raw.
 * Every test here is a linear scan or an anchored regex without nested quantifiers.
 */
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const HEX = /^[0-9a-fA-F]{16,}$/;
const INT = /^[0-9]{1,15}$/;
const MAX_SEGMENTS = 32;
const MAX_OBJECTS = 16;
const MAX_SEGMENT_CHARS = 64;

export type SegmentClass = 'int' | 'uuid' | 'hex' | 'email' | 'id' | null;

/** Classifies a path segment, or null when it is a literal part of the route. */
export function classifySegment(seg: string): SegmentClass {
  if (INT.test(seg)) return 'int';
  if (seg.length === 36 && UUID.test(seg)) return 'uuid';
  if (seg.length >= 16 && HEX.test(seg)) return 'hex';
  let at = -1;
  let digits = 0;
  let letters = 0;
  let other = 0;
  for (let i = 0; i < seg.length; i++) {
    const c = seg.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) letters++;
    else if (c === 64) at = i;
    else other++;
  }
  if (at > 0 && seg.indexOf('.', at) > at + 1) return 'email';
  // Mixed letters and digits (SKU-12345, a1b2c3d4), or anything too long or odd to be a word.
  if (seg.length > MAX_SEGMENT_CHARS || other > 2 || (digits > 0 && letters + digits >= 4 && digits * 4 >= seg.length)) {
    return 'id';
  }
  return null;
}

export interface TemplatedRoute {
  route: string;
  objects: Array<number | string>;
}

export function templateRoute(path: string, hashObject: (segment: string) => string): TemplatedRoute {
  const objects: Array<number | string> = [];
  // One scan over the segments, no split/join: this runs for every event.
  let route = '';
  let from = 0;
  for (let i = 0; i <= MAX_SEGMENTS; i++) {
    let to = path.indexOf('/', from);
    if (to < 0) to = path.length;
    if (i > 0) route += '/';
    if (to > from) {
      const seg = path.slice(from, to);
      const cls = classifySegment(seg);
      if (cls === null) route += seg;
      else {
        route += `{${cls}}`;
        if (objects.length < MAX_OBJECTS) objects.push(cls === 'int' ? Number(seg) : hashObject(seg));
      }
    }
    if (to === path.length) break;
    from = to + 1;
    if (i === MAX_SEGMENTS) route += '/{more}';
  }
  if (route.length > 512) route = `${route.slice(0, 505)}/{more}`;
  return { route: route === '' ? '/' : route, objects };
}
