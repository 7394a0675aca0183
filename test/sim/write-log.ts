import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

const CHUNK_CHARS = 1 << 16;

/**
 * Streams lines to `out` ("-" or undefined: stdout), gzip-compressed when the name ends in
 * .gz. Lines are pulled only as fast as the file takes them, so a long run never sits in
 * memory. Resolves with the number of lines written.
 */
export async function writeLog(lines: Iterable<string>, out: string | undefined): Promise<number> {
  let count = 0;
  function* chunks(): Generator<string> {
    let buf = '';
    for (const line of lines) {
      buf += line + '\n';
      count++;
      if (buf.length >= CHUNK_CHARS) {
        yield buf;
        buf = '';
      }
    }
    if (buf) yield buf;
  }
  const source = Readable.from(chunks());
  const sink = out && out !== '-' ? createWriteStream(out) : process.stdout;
  if (out?.endsWith('.gz')) await pipeline(source, createGzip({ level: 9 }), sink);
  else await pipeline(source, sink);
  return count;
}
