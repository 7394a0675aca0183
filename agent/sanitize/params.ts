/**
 * Query parameters reduced to shapes: name, type, length class and character classes.
 * Numbers keep their value (page, limit); strings only for allow-listed names. Parameters that
 * carry keys are taken out first and never described at all.
 */
import type { ParamShape } from '../../contracts/index.js';

const DECIMAL = /^-?[0-9]{1,15}\.[0-9]{1,15}$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const HEX = /^[0-9a-fA-F]{16,}$/;
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}/;
const MAX_PARAMS = 32;
const MAX_NAME = 64;
/** Digits an int value may have: every such value is an exact double. */
const MAX_INT_DIGITS = 15;

function decode(s: string): string {
  if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** What a raw parameter name is: not one we publish, or 1 to 64 characters of A-Z a-z 0-9 _ . [ ] -. */
const NOT_A_NAME = 0;
const LOWER_NAME = 1;
const NAME_WITH_CAPITALS = 2;

function nameKind(s: string): number {
  if (s.length === 0 || s.length > MAX_NAME) return NOT_A_NAME;
  let kind = LOWER_NAME;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) kind = NAME_WITH_CAPITALS;
    else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45 || c === 91 || c === 93)) return NOT_A_NAME;
  }
  return kind;
}

/** Each set of key parameters as a list, made the first time the set is used (a set is read once). */
const keyLists = new WeakMap<ReadonlySet<string>, readonly string[]>();

function keyListOf(keyParams: ReadonlySet<string>): readonly string[] {
  let list = keyLists.get(keyParams);
  if (list === undefined) {
    list = [...keyParams];
    keyLists.set(keyParams, list);
  }
  return list;
}

/**
 * Whether a parameter carries a key (its name in `keyParams`, any case). A lowercase name is
 * compared with the few key names directly, most ruled out by length: a set lookup would hash
 * the fresh name first. toLowerCase (a new string) runs only for other names.
 */
function isKeyParam(name: string, kind: number, keyParams: ReadonlySet<string>, keyList: readonly string[]): boolean {
  if (kind !== LOWER_NAME) return keyParams.has(name.toLowerCase());
  for (let i = 0; i < keyList.length; i++) {
    const k = keyList[i] as string;
    if (k.length === name.length && k === name) return true;
  }
  return false;
}

/** Every set of character classes, by bit mask: a (1), A (2), d (4), s (8), x (16), in that order. */
const CLASS_SETS = Array.from({ length: 32 }, (_, m) => ['a', 'A', 'd', 's', 'x'].filter((_c, bit) => (m & (1 << bit)) !== 0).join(''));

/** The value of `-?[0-9]{1,15}` (exact: below 2^53), as Number() gives it, -0 included. */
function intValue(v: string, sign: number): number {
  let x = 0;
  for (let i = sign; i < v.length; i++) x = x * 10 + (v.charCodeAt(i) - 48);
  return sign === 1 ? -x : x;
}

export function shapeOf(name: string, v: string, keepRaw: boolean): ParamShape {
  const n = v.length;
  // One scan for the character classes and whether v is an integer: -?[0-9]{1,15}.
  let mask = 0;
  let digits = 0;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c >= 97 && c <= 122) mask |= 1;
    else if (c >= 65 && c <= 90) mask |= 2;
    else if (c >= 48 && c <= 57) {
      mask |= 4;
      digits++;
    } else if (c < 128) mask |= 8;
    else mask |= 16;
  }
  const sign = n > 0 && v.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  const isInt = digits > 0 && digits === n - sign && digits <= MAX_INT_DIGITS;
  const len = n === 0 ? 0 : 32 - Math.clz32(Math.min(n, 0x7fffffff));
  const shape: ParamShape = { name, type: 'str', len: Math.min(len, 32), chars: CLASS_SETS[mask] as string };
  if (n === 0) shape.type = 'empty';
  else if (isInt) {
    shape.type = 'int';
    shape.value = intValue(v, sign);
  } else if (DECIMAL.test(v)) {
    shape.type = 'num';
    shape.value = Number(v);
  } else if (v === 'true' || v === 'false') shape.type = 'bool';
  else if (n === 36 && UUID.test(v)) shape.type = 'uuid';
  else if (n >= 16 && HEX.test(v)) shape.type = 'hex';
  else if (DATE.test(v)) shape.type = 'date';
  else if (v.indexOf('@') > 0) shape.type = 'email';
  else if (v.indexOf(',') >= 0) shape.type = 'list';
  if (keepRaw && shape.type !== 'int' && shape.type !== 'num' && n <= 64) shape.value = v;
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
  // Most queries have no escapes at all: then no part needs decoding, checked once for the whole.
  const plain = query.indexOf('%') < 0 && query.indexOf('+') < 0;
  const keyList = keyListOf(keyParams);
  const anyRaw = rawParams.size > 0;
  // The next '=' at or after `start` (query.length when none is left): found once, not per pair.
  let eq = -1;
  let start = 0;
  while (start <= query.length && params.length < MAX_PARAMS) {
    let end = query.indexOf('&', start);
    if (end < 0) end = query.length;
    if (end === start) {
      start++;
      continue;
    }
    if (eq < start) {
      eq = query.indexOf('=', start);
      if (eq < 0) eq = query.length;
    }
    const hasValue = eq < end;
    const rawNamePart = query.slice(start, hasValue ? eq : end);
    const valuePart = hasValue ? query.slice(eq + 1, end) : '';
    const rawName = plain ? rawNamePart : decode(rawNamePart);
    const value = plain ? valuePart : decode(valuePart);
    start = end + 1;
    const kind = nameKind(rawName);
    if (isKeyParam(rawName, kind, keyParams, keyList)) {
      if (keyFromQuery === null && value !== '') keyFromQuery = value;
      continue;
    }
    const name = kind === NOT_A_NAME ? '{name}' : rawName;
    params.push(shapeOf(name, value, anyRaw && rawParams.has(name)));
  }
  return { params, keyFromQuery };
}
