/*
 * lowslow njs module: key_id and query shapes for the `lowslow_safe` log_format, so neither the
 * raw API key nor a raw query value is ever written to the log file or sent over syslog.
 *
 *   js_set $lowslow_key_id lowslow.key_id;  32 hex chars of HMAC-SHA256(secret, raw key), or ''
 *   js_set $lowslow_args   lowslow.args;    the query string, key parameters dropped, each value
 *                                           replaced by a stand-in of the same shape
 *
 * js_set variables are computed when they are read, and only the access log reads them: after
 * the response has been sent. Nothing here runs on the request path or can change a response.
 *
 * A stand-in is the smallest value the agent's shaper (agent/sanitize/params.ts) classifies
 * exactly as it classifies the original: same type, length class and character classes, built
 * only from the characters z Z 0 _ (and é, @, `,`, `-` where the type needs them). Numbers and
 * booleans keep their value, as they do in published events. Parameters on the operator's
 * raw-value allow-list ($lowslow_raw_params) pass unchanged.
 *
 * Options are nginx variables (defaults in lowslow-safe.conf, `set` overrides them per server or
 * location); the secret is the environment variable LOWSLOW_KEY_SECRET, passed through with
 * `env LOWSLOW_KEY_SECRET;` in nginx.conf. Written in ES5 for njs 0.7 (Debian 12); the Node
 * tests import this same file.
 */
import crypto from 'crypto';

var SECRET_ENV = 'LOWSLOW_KEY_SECRET';
var MIN_SECRET_CHARS = 16;
var MAX_PARAMS = 32;

var DEFAULTS = {
  lowslow_key_headers: 'x-api-key,apikey,api-key',
  lowslow_bearer: 'on',
  lowslow_key_params: 'api_key,apikey,key,access_token,token',
  lowslow_raw_params: '',
};

// The agent's classes (agent/sanitize/params.ts), in its order of precedence.
var INT = /^-?[0-9]{1,15}$/;
var DECIMAL = /^-?[0-9]{1,15}\.[0-9]{1,15}$/;
var UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
var HEX = /^[0-9a-fA-F]{16,}$/;
var DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}/;
var NAME = /^[A-Za-z0-9_.[\]-]{1,64}$/;

// One character per class; as written into the query string (é percent-encoded).
var CLASS_CHAR = { a: 'z', A: 'Z', d: '0', s: '_', x: '%C3%A9' };
// Hex digits for hex and uuid stand-ins.
var HEX_CHAR = { a: 'a', A: 'A', d: '0' };

/** hex(HMAC-SHA256(secret, key)), first 32 characters: DESIGN.md's key_id. */
function keyIdOf(secret, key) {
  return crypto.createHmac('sha256', secret).update(key).digest('hex').slice(0, 32);
}

function decode(s) {
  if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch (e) {
    return s;
  }
}

var hasOwn = Object.prototype.hasOwnProperty;

/** A set as an object; look names up with hasOwn (a parameter may be called `constructor`). */
function list(value, lower) {
  var out = {};
  var parts = String(value).split(',');
  for (var i = 0; i < parts.length; i++) {
    var p = parts[i].trim();
    if (p !== '') out[lower ? p.toLowerCase() : p] = true;
  }
  return out;
}

function names(value) {
  var out = [];
  var parts = String(value).split(',');
  for (var i = 0; i < parts.length; i++) {
    var p = parts[i].trim().toLowerCase();
    if (p !== '') out.push(p);
  }
  return out;
}

function option(r, name) {
  var v = r.variables[name];
  return v === undefined || v === null ? DEFAULTS[name] : v;
}

function isOn(v) {
  var s = String(v).toLowerCase();
  return s !== 'off' && s !== 'false' && s !== '0' && s !== 'no' && s !== '';
}

/** The token of `Bearer <token>`, or null (agent/parsers/key-from-headers.ts). */
function bearerToken(value) {
  if (value.length <= 7 || value.slice(0, 7).toLowerCase() !== 'bearer ') return null;
  var token = value.slice(7).trim();
  return token === '' ? null : token;
}

/** A key header's value as a raw key; other Authorization schemes are never a key. */
function keyFromHeaderValue(value, bearer) {
  var v = value.trim();
  if (v === '' || v === '-') return null;
  var space = v.indexOf(' ');
  if (space < 0) return v;
  var scheme = v.slice(0, space).toLowerCase();
  if (scheme === 'bearer') return bearer ? bearerToken(v) : null;
  if (scheme === 'basic' || scheme === 'digest' || scheme === 'negotiate') return null;
  return v;
}

/**
 * Character classes and length in UTF-16 code units, as JavaScript in the agent counts them
 * (njs counts code points: a character above U+FFFF counts twice here).
 */
function measure(v) {
  var lower = false, upper = false, digit = false, symbol = false, nonAscii = false;
  var units = 0;
  for (var i = 0; i < v.length; i++) {
    var c = v.charCodeAt(i);
    units += c > 0xffff ? 2 : 1;
    if (c >= 97 && c <= 122) lower = true;
    else if (c >= 65 && c <= 90) upper = true;
    else if (c >= 48 && c <= 57) digit = true;
    else if (c < 128) symbol = true;
    else nonAscii = true;
  }
  var chars = (lower ? 'a' : '') + (upper ? 'A' : '') + (digit ? 'd' : '') + (symbol ? 's' : '') + (nonAscii ? 'x' : '');
  return { chars: chars, units: units };
}

function typeOf(v, units) {
  if (units === 0) return 'empty';
  if (INT.test(v)) return 'int';
  if (DECIMAL.test(v)) return 'num';
  if (v === 'true' || v === 'false') return 'bool';
  if (units === 36 && UUID.test(v)) return 'uuid';
  if (units >= 16 && HEX.test(v)) return 'hex';
  if (DATE.test(v)) return 'date';
  if (v.indexOf('@') > 0) return 'email';
  if (v.indexOf(',') >= 0) return 'list';
  return 'str';
}

/** Bit length of n: the agent's length class. */
function lengthClass(n) {
  var bits = 0;
  while (n > 0) {
    bits++;
    n = Math.floor(n / 2);
  }
  return bits;
}

/** Appends one character of each class, in order, cycling until `out` holds `target` characters. */
function fill(out, classes, table, target) {
  for (var i = 0; out.length < target; i++) out.push(table[classes[i % classes.length]]);
}

/**
 * The stand-in for a decoded value: the shortest value with the same type, length class and
 * character classes (never longer than the value itself), already encoded for a query string.
 */
function standIn(v) {
  var m = measure(v);
  var type = typeOf(v, m.units);
  if (type === 'empty') return '';
  if (type === 'int' || type === 'num' || type === 'bool') return v;
  var classes = m.chars.split('');
  var target = Math.pow(2, lengthClass(m.units) - 1);
  var out = [];
  if (type === 'uuid' || type === 'hex') {
    var hex = [];
    for (var h = 0; h < classes.length; h++) if (HEX_CHAR[classes[h]]) hex.push(classes[h]);
    if (type === 'hex') {
      fill(out, hex, HEX_CHAR, target);
      return out.join('');
    }
    fill(out, hex, HEX_CHAR, 32);
    var s = out.join('');
    return s.slice(0, 8) + '-' + s.slice(8, 12) + '-' + s.slice(12, 16) + '-' + s.slice(16, 20) + '-' + s.slice(20);
  }
  var have = {};
  if (type === 'date') {
    out = ['0', '0', '0', '0', '-', '0', '0', '-', '0', '0'];
    have = { d: true, s: true };
  } else if (type === 'email') {
    // '@' may not come first; a letter, digit or non-ASCII character goes before it.
    var first = '_';
    for (var e = 0; e < classes.length; e++) {
      if (classes[e] !== 's') {
        first = CLASS_CHAR[classes[e]];
        have[classes[e]] = true;
        break;
      }
    }
    out = [first, '@'];
    have.s = true;
  } else if (type === 'list') {
    out = [','];
    have.s = true;
  }
  for (var c = 0; c < classes.length; c++) if (!have[classes[c]]) out.push(CLASS_CHAR[classes[c]]);
  fill(out, classes, CLASS_CHAR, target);
  return out.join('');
}

/**
 * Walks a raw query string as the agent does (`&`-separated, at most MAX_PARAMS parameters kept,
 * names and values percent-decoded). Answers the safe query string and the first non-empty value
 * of a key parameter.
 */
function scanQuery(query, keyParams, rawParams) {
  var out = [];
  var key = null;
  var start = 0;
  while (start <= query.length && out.length < MAX_PARAMS) {
    var end = query.indexOf('&', start);
    if (end < 0) end = query.length;
    var pair = query.slice(start, end);
    start = end + 1;
    if (pair === '') continue;
    var eq = pair.indexOf('=');
    var rawName = decode(eq < 0 ? pair : pair.slice(0, eq));
    var value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    if (hasOwn.call(keyParams, rawName.toLowerCase())) {
      if (key === null && value !== '') key = value;
      continue;
    }
    var name = NAME.test(rawName) ? rawName : '{name}';
    out.push(name + '=' + (hasOwn.call(rawParams, name) ? encodeURIComponent(value) : standIn(value)));
  }
  return { args: out.join('&'), key: key };
}

/** The query string with key parameters dropped and every other value reduced to a stand-in. */
function shapeArgs(query, keyParams, rawParams) {
  return scanQuery(query, list(keyParams, true), list(rawParams, false)).args;
}

function rawKey(r) {
  var bearer = isOn(option(r, 'lowslow_bearer'));
  var headers = names(option(r, 'lowslow_key_headers'));
  for (var i = 0; i < headers.length; i++) {
    var v = r.headersIn[headers[i]];
    if (typeof v === 'string') {
      var key = keyFromHeaderValue(v, bearer);
      if (key !== null) return key;
    }
  }
  if (bearer) {
    var auth = r.headersIn.Authorization;
    var token = typeof auth === 'string' ? bearerToken(auth) : null;
    if (token !== null) return token;
  }
  var query = r.variables.args;
  if (!query) return null;
  return scanQuery(query, list(option(r, 'lowslow_key_params'), true), {}).key;
}

/** js_set handler: the request's key_id, or '' without a key. Never throws. */
function key_id(r) {
  try {
    var key = rawKey(r);
    if (key === null) return '';
    var secret = process.env[SECRET_ENV];
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_CHARS) {
      r.error('lowslow: ' + SECRET_ENV + ' is missing or shorter than ' + MIN_SECRET_CHARS +
        ' characters; add `env ' + SECRET_ENV + ';` to the main context of nginx.conf and set it in' +
        " nginx's environment. key_id left empty");
      return '';
    }
    return keyIdOf(secret, key);
  } catch (e) {
    // The message is njs's own, never the key or a header value.
    r.error('lowslow: key_id failed: ' + e.message);
    return '';
  }
}

/** js_set handler: the safe query string. Never throws. */
function args(r) {
  try {
    var query = r.variables.args;
    if (!query) return '';
    return shapeArgs(query, option(r, 'lowslow_key_params'), option(r, 'lowslow_raw_params'));
  } catch (e) {
    r.error('lowslow: args failed: ' + e.message);
    return '';
  }
}

export default { key_id: key_id, args: args, keyIdOf: keyIdOf, shapeArgs: shapeArgs, standIn: standIn };
