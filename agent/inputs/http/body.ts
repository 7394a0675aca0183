/**
 * Request bodies of the http input: decompression (Fluent Bit `compress gzip`, Vector
 * `compression = "gzip"`) within the body limit, and the shapes each route accepts.
 */
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';

const gunzipAsync = promisify(gunzip);

export type BodyProblem = { status: 400 | 413 | 415; reason: 'bad_encoding' | 'too_large' | 'unsupported_encoding' | 'not_json' | 'bad_shape'; message: string };

export const isProblem = (v: unknown): v is BodyProblem => typeof v === 'object' && v !== null && 'status' in v && 'reason' in v;

/** The body as text, gunzipped when the client says so; never larger than `limit` bytes. */
export async function bodyText(body: unknown, encoding: string | undefined, limit: number): Promise<string | BodyProblem> {
  const raw = Buffer.isBuffer(body) ? body : typeof body === 'string' ? Buffer.from(body) : Buffer.alloc(0);
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  if (enc === 'identity' || enc === '') return raw.toString('utf8');
  if (enc !== 'gzip' && enc !== 'x-gzip') {
    return { status: 415, reason: 'unsupported_encoding', message: `Content-Encoding ${enc} is not supported; send identity or gzip` };
  }
  try {
    return (await gunzipAsync(raw, { maxOutputLength: limit })).toString('utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      return { status: 413, reason: 'too_large', message: `decompressed body is larger than inputs.http.max_body_bytes (${limit} bytes)` };
    }
    return { status: 400, reason: 'bad_encoding', message: 'body is not valid gzip (Content-Encoding: gzip)' };
  }
}

/**
 * POST /kong: one `kong.log.serialize()` object (http-log with queue.max_batch_size = 1) or a JSON
 * array of them (batches). Array elements are returned as they are; the parser judges each one.
 */
export function kongObjects(text: string): unknown[] | BodyProblem {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the body, which may hold keys: never echo it.
    return { status: 400, reason: 'not_json', message: 'body is not valid JSON: POST /kong expects one kong.log.serialize() object or a JSON array of them' };
  }
  if (Array.isArray(v)) return v;
  if (v !== null && typeof v === 'object') return [v];
  return { status: 400, reason: 'bad_shape', message: 'POST /kong expects one kong.log.serialize() object or a JSON array of them' };
}

/**
 * POST /lines: newline-delimited lines. Each line is either a raw log line or a JSON object
 * wrapping it in a string field `log` (Fluent Bit tail records, sent with `format json_lines`) or
 * `message` (Vector `encoding.codec = "json"` with newline framing); any other line, JSON objects
 * in our own formats included, is taken as it is. A body that is a JSON array (Fluent Bit
 * `format json`, Vector's json codec without framing) holds such strings or objects.
 */
export function bodyLines(text: string): string[] | BodyProblem {
  const out: string[] = [];
  if (text.charCodeAt(firstNonSpace(text)) === 91 /* [ */) {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      return { status: 400, reason: 'not_json', message: 'body starts with [ but is not a valid JSON array: POST /lines expects newline-delimited lines or a JSON array of them' };
    }
    if (!Array.isArray(v)) return { status: 400, reason: 'bad_shape', message: 'POST /lines expects newline-delimited lines or a JSON array of them' };
    for (const el of v) {
      if (typeof el === 'string') out.push(trimNewline(el));
      else {
        const line = wrapped(el) ?? lineOf(el);
        if (line === null) return { status: 400, reason: 'bad_shape', message: 'POST /lines: an array element nests too deeply to be a log line' };
        out.push(line);
      }
    }
    return out;
  }
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    if (line.trim().length === 0) continue;
    out.push(unwrapLine(line));
  }
  return out;
}

function unwrapLine(line: string): string {
  // Cheap test first: most lines are raw lines or our own JSON formats.
  if (line.charCodeAt(0) !== 123 /* { */ || (!line.includes('"log"') && !line.includes('"message"'))) return line;
  try {
    return wrapped(JSON.parse(line)) ?? line;
  } catch {
    return line;
  }
}

function wrapped(v: unknown): string | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.log === 'string') return trimNewline(o.log);
  if (typeof o.message === 'string') return trimNewline(o.message);
  return null;
}

/** A JSON element as one line; null when it nests deeper than JSON.stringify's stack can follow. */
function lineOf(v: unknown): string | null {
  try {
    return JSON.stringify(v);
  } catch {
    return null;
  }
}

function trimNewline(s: string): string {
  if (s.endsWith('\r\n')) return s.slice(0, -2);
  return s.endsWith('\n') ? s.slice(0, -1) : s;
}

function firstNonSpace(s: string): number {
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 10 || s.charCodeAt(i) === 13 || s.charCodeAt(i) === 9)) i++;
  return i;
}
