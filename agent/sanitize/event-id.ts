/**
 * Event ids for requests the gateway logged without a request id. They must be the same when a
 * line is read again (restart, spool drain) and differ between lines and hosts.
 *
 * - From a position (a stream and a byte offset, e.g. the file input's `inode:generation` and offset):
 *   20 hex characters of SHA-256(host, stream), computed once per stream, then the offset as 12 hex
 *   digits. A position holds no request data, so it needs no hash per line (a SHA-256 costs more
 *   than parsing the line).
 * - From anything else (the line itself, a structured record): 32 hex characters of
 *   SHA-256(host, text), since the text may hold secrets and must not be recoverable from the id.
 */
import { createHash } from 'node:crypto';

/** Offsets up to 2^48 (256 TiB) fit 12 hex digits. */
const OFFSET_DIGITS = 12;
const MAX_OFFSET = 2 ** 48;

export class EventIds {
  private stream = '';
  private streamHash = '';

  constructor(private readonly host: string) {}

  fromText(text: string): string {
    return createHash('sha256').update(this.host).update(text).digest('hex').slice(0, 32);
  }

  /** The line at byte `offset` of `stream` (e.g. the file input's `inode:generation`). */
  fromPosition(stream: string, offset: number): string {
    if (!(Number.isInteger(offset) && offset >= 0 && offset < MAX_OFFSET)) return this.fromText(`${stream}:${offset}`);
    if (stream !== this.stream) {
      this.stream = stream;
      this.streamHash = createHash('sha256').update(this.host).update('\u0000').update(stream).digest('hex').slice(0, 20);
    }
    return this.streamHash + offset.toString(16).padStart(OFFSET_DIGITS, '0');
  }
}
