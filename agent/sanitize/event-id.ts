/**
 * Event ids for requests the gateway logged without a request id. They must be the same when a
 * line is read again (restart, spool drain) and differ between lines and hosts.
 *
 * - From a position (`<stream>:<byte offset>`, e.g. the file input's `inode:generation:offset`):
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

  /** `origin` ending in `:<decimal offset>`; anything else is hashed as text. */
  fromPosition(origin: string): string {
    const colon = origin.lastIndexOf(':');
    const digits = origin.length - colon - 1;
    if (colon < 0 || digits < 1 || digits > 15) return this.fromText(origin);
    let offset = 0;
    for (let i = colon + 1; i < origin.length; i++) {
      const d = origin.charCodeAt(i) - 48;
      if (!(d >= 0 && d <= 9)) return this.fromText(origin);
      offset = offset * 10 + d;
    }
    if (offset >= MAX_OFFSET) return this.fromText(origin);
    const stream = origin.slice(0, colon);
    if (stream !== this.stream) {
      this.stream = stream;
      this.streamHash = createHash('sha256').update(this.host).update('\u0000').update(stream).digest('hex').slice(0, 20);
    }
    return this.streamHash + offset.toString(16).padStart(OFFSET_DIGITS, '0');
  }
}
