/**
 * Query parameters reduced to shapes: name, type, length class and character classes.
 * Numbers keep their value (page, limit); strings only for allow-listed names. Parameters that
 * carry keys are taken out first and never described at all.
 */
import type { ParamShape } from '../../contracts/index.js';

const INT = /^-?[0-9]{1,15}$/;
const DECIMAL = /^-?[0-9]{1,15}\.[0-9]{1,15}$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const HEX = /^[0-9a-fA-F]{16,}$/;
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}/;
const NAME = /^[A-Za-z0-9_.[\]-]{1,64}$/;
const MAX_PARAMS = 32;

function decode(s: string): string {
  if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Every set of character classes, by bit mask: a (1), A (2), d (4), s (8), x (16), in that order. */
const CLASS_SETS = Array.from({ length: 32 }, (_, m) => ['a', 'A', 'd', 's', 'x'].filter((_c, bit) => (m & (1 << bit)) !== 0).join(''));

function charClasses(v: string): string {
  let mask = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 97 && c <= 122) mask |= 1;
    else if (c >= 65 && c <= 90) mask |= 2;
    else if (c >= 48 && c <= 57) mask |= 4;
    else if (c < 128) mask |= 8;
    else mask |= 16;
  }
  return CLASS_SETS[mask] as string;
}

export function shapeOf(name: string, v: string, keepRaw: boolean): ParamShape {
  const len = v.length === 0 ? 0 : 32 - Math.clz32(Math.min(v.length, 0x7fffffff));
  const shape: ParamShape = { name, type: 'str', len: Math.min(len, 32), chars: charClasses(v) };
  if (v.length === 0) shape.type = 'empty';
  else if (INT.test(v)) {
    shape.type = 'int';
    shape.value = Number(v);
  } else if (DECIMAL.test(v)) {
    shape.type = 'num';
    shape.value = Number(v);
  } else if (v === 'true' || v === 'false') shape.type = 'bool';
  else if (v.length === 36 && UUID.test(v)) shape.type = 'uuid';
  else if (v.length >= 16 && HEX.test(v)) shape.type = 'hex';
  else if (DATE.test(v)) shape.type = 'date';
  else if (v.indexOf('@') > 0) shape.type = 'email';
  else if (v.indexOf(',') >= 0) shape.type = 'list';
  if (keepRaw && shape.type !== 'int' && shape.type !== 'num' && v.length <= 64) shape.value = v;
  return shape;
}

export interface QueryShapes {
  params: ParamShape[];
  /** Raw key found in a key parameter; the caller hashes it and drops it. */
  keyFromQuery: string | null;
}

export function shapeQuery(query: string, keyParams: ReadonlySet<string>, rawParams: ReadonlySet<string>): QueryShapes {
  const params: ParamShape[] = [];
  let keyFromQuery: string | null = null;
  if (query === '') return { params, keyFromQuery };
  let start = 0;
  while (start <= query.length && params.length < MAX_PARAMS) {
    let end = query.indexOf('&', start);
    if (end < 0) end = query.length;
    const pair = query.slice(start, end);
    start = end + 1;
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    if (keyParams.has(rawName.toLowerCase())) {
      if (keyFromQuery === null && value !== '') keyFromQuery = value;
      continue;
    }
    const name = NAME.test(rawName) ? rawName : '{name}';
    params.push(shapeOf(name, value, rawParams.has(name)));
  }
  return { params, keyFromQuery };
}
