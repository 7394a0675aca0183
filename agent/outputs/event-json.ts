/**
 * AccessEvent v1 written as JSON straight into a batch buffer, field by field: the same bytes as
 * `Buffer.from(JSON.stringify(event))` for a sanitizer-built event (same key order, same escaping),
 * without a string per event that is then encoded again. The fields the sanitizer builds only
 * from safe characters (key_id, method, client.ip, object hashes, parameter names and character
 * classes: patterns, hex digests and allow-lists in agent/sanitize/) are written without escaping
 * checks. test/unit/agent/published-events.test.ts holds it to JSON.stringify on hostile and
 * random records through every parser and the sanitizer.
 */
import type { AccessEvent, ParamShape } from '../../contracts/index.js';
import { chunk, putChunk, putNumber, putRaw, putSafeString, putString, stringBound, JsonBytes, NUMBER_BYTES, type Chunk } from './json-bytes.js';

/** Bytes of everything but the strings and numbers counted separately: keys and punctuation. */
const EVENT_FRAME_BYTES = 200;
const PARAM_FRAME_BYTES = 48;

/** An upper bound of the event's JSON size in bytes. */
function eventBound(e: AccessEvent): number {
  const r = e.request;
  let n =
    EVENT_FRAME_BYTES +
    stringBound(e.id) +
    stringBound(e.source.gateway) +
    stringBound(e.source.host) +
    (e.key_id === null ? 4 : stringBound(e.key_id)) +
    stringBound(e.client.ip) +
    stringBound(e.client.ua) +
    stringBound(r.method) +
    stringBound(r.route) +
    5 * NUMBER_BYTES;
  const c = e.context;
  if (c !== undefined) n += 64 + stringBound(c.consumer_id ?? '') + stringBound(c.service ?? '') + stringBound(c.route_name ?? '');
  for (let i = 0; i < r.objects.length; i++) {
    const o = r.objects[i] as number | string;
    n += 1 + (typeof o === 'number' ? NUMBER_BYTES : stringBound(o));
  }
  for (let i = 0; i < r.params.length; i++) {
    const p = r.params[i] as ParamShape;
    n += PARAM_FRAME_BYTES + stringBound(p.name) + p.type.length + stringBound(p.chars) + NUMBER_BYTES;
    if (p.value !== undefined) n += typeof p.value === 'number' ? NUMBER_BYTES : stringBound(p.value);
  }
  return n;
}

/** `,"source":{…}` of the last source seen: every event of an agent has the same one. */
let lastSource = { gateway: '', host: '', chunk: chunk(',"source":{"gateway":"","host":""}') };

/** The source's JSON as a chunk, or as bytes in a latin1 string when it is not ASCII. */
function sourceJson(source: AccessEvent['source']): Chunk | string {
  if (source.gateway !== lastSource.gateway || source.host !== lastSource.host) {
    const json = `,"source":${JSON.stringify({ gateway: source.gateway, host: source.host })}`;
    // putRaw writes UTF-16 units as bytes: only for ASCII; anything else is encoded each time.
    if (!/^[\x20-\x7e]*$/.test(json)) return Buffer.from(json, 'utf8').toString('latin1');
    lastSource = { gateway: source.gateway, host: source.host, chunk: chunk(json) };
  }
  return lastSource.chunk;
}

const K = {
  open: chunk('{"v":1,"id":'),
  ts: chunk(',"ts":'),
  keyId: chunk(',"key_id":'),
  ip: chunk(',"client":{"ip":'),
  ua: chunk(',"ua":'),
  method: chunk('},"request":{"method":'),
  route: chunk(',"route":'),
  objects: chunk(',"objects":['),
  params: chunk('],"params":['),
  requestBytes: chunk('],"bytes":'),
  status: chunk('},"response":{"status":'),
  responseBytes: chunk(',"bytes":'),
  latency: chunk(',"latency_ms":'),
  close: chunk('}}'),
  context: chunk('},"context":{'),
  name: chunk('{"name":'),
  type: chunk(',"type":"'),
  len: chunk('","len":'),
  chars: chunk(',"chars":'),
  value: chunk(',"value":'),
  null: chunk('null'),
};

function putParam(view: DataView, buf: Buffer, pos: number, p: ParamShape): number {
  pos = putChunk(view, buf, pos, K.name);
  pos = putSafeString(buf, pos, p.name);
  pos = putChunk(view, buf, pos, K.type);
  pos = putRaw(buf, pos, p.type);
  pos = putChunk(view, buf, pos, K.len);
  pos = putNumber(buf, pos, p.len);
  pos = putChunk(view, buf, pos, K.chars);
  pos = putSafeString(buf, pos, p.chars);
  if (p.value !== undefined) {
    pos = putChunk(view, buf, pos, K.value);
    pos = typeof p.value === 'number' ? putNumber(buf, pos, p.value) : putString(buf, pos, p.value);
  }
  buf[pos++] = 125;
  return pos;
}

/** Appends the event's JSON at `out.pos`. */
export function writeEvent(out: JsonBytes, e: AccessEvent): void {
  out.reserve(eventBound(e));
  const buf = out.buf;
  const view = out.view;
  let pos = putChunk(view, buf, out.pos, K.open);
  pos = putString(buf, pos, e.id);
  pos = putChunk(view, buf, pos, K.ts);
  pos = putNumber(buf, pos, e.ts);
  const source = sourceJson(e.source);
  pos = typeof source === 'string' ? putRaw(buf, pos, source) : putChunk(view, buf, pos, source);
  pos = putChunk(view, buf, pos, K.keyId);
  pos = e.key_id === null ? putChunk(view, buf, pos, K.null) : putSafeString(buf, pos, e.key_id);
  pos = putChunk(view, buf, pos, K.ip);
  pos = putSafeString(buf, pos, e.client.ip);
  pos = putChunk(view, buf, pos, K.ua);
  pos = putString(buf, pos, e.client.ua);
  const r = e.request;
  pos = putChunk(view, buf, pos, K.method);
  pos = putSafeString(buf, pos, r.method);
  pos = putChunk(view, buf, pos, K.route);
  pos = putString(buf, pos, r.route);
  pos = putChunk(view, buf, pos, K.objects);
  for (let i = 0; i < r.objects.length; i++) {
    if (i > 0) buf[pos++] = 44;
    const o = r.objects[i] as number | string;
    pos = typeof o === 'number' ? putNumber(buf, pos, o) : putSafeString(buf, pos, o);
  }
  pos = putChunk(view, buf, pos, K.params);
  for (let i = 0; i < r.params.length; i++) {
    if (i > 0) buf[pos++] = 44;
    pos = putParam(view, buf, pos, r.params[i] as ParamShape);
  }
  pos = putChunk(view, buf, pos, K.requestBytes);
  pos = putNumber(buf, pos, r.bytes);
  const s = e.response;
  pos = putChunk(view, buf, pos, K.status);
  pos = putNumber(buf, pos, s.status);
  pos = putChunk(view, buf, pos, K.responseBytes);
  pos = putNumber(buf, pos, s.bytes);
  pos = putChunk(view, buf, pos, K.latency);
  pos = putNumber(buf, pos, s.latency_ms);
  const c = e.context;
  if (c === undefined) {
    out.pos = putChunk(view, buf, pos, K.close);
    return;
  }
  pos = putChunk(view, buf, pos, K.context);
  let first = true;
  for (const [name, value] of [['consumer_id', c.consumer_id], ['service', c.service], ['route_name', c.route_name]] as const) {
    if (value === undefined) continue;
    if (!first) buf[pos++] = 44;
    first = false;
    pos = putRaw(buf, pos, `"${name}":`);
    pos = putString(buf, pos, value);
  }
  out.pos = putChunk(view, buf, pos, K.close);
}

/** One event's JSON bytes on their own (tests, and callers outside a batch). */
export function eventBytes(e: AccessEvent): Uint8Array {
  const out = new JsonBytes(1024);
  writeEvent(out, e);
  return out.copy();
}
