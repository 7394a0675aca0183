/**
 * Writes numbered access log lines at a steady rate, the way a gateway does, with hooks to rotate
 * the file in between. Each line's request_id encodes its number, so loss and duplicates show.
 */
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { nginxLine } from './log-lines.js';

export const lineId = (n: number) => n.toString(16).padStart(32, '0');

export class LogWriter {
  written = 0;

  constructor(
    public path: string,
    private readonly keys = 50,
  ) {}

  /** Appends `count` lines in chunks of `chunk`, pausing `pauseMs` between chunks. */
  async write(count: number, chunk = 200, pauseMs = 10): Promise<void> {
    for (let done = 0; done < count; ) {
      const n = Math.min(chunk, count - done);
      const lines: string[] = [];
      for (let i = 0; i < n; i++) {
        const id = ++this.written;
        lines.push(nginxLine({ t: 1_793_600_000 + id / 1000, key: `sk_live_writer_${id % this.keys}`, uri: `/v1/orders/${id}`, id }));
      }
      appendFileSync(this.path, `${lines.join('\n')}\n`);
      done += n;
      if (pauseMs > 0) await sleep(pauseMs);
    }
  }

  expectedIds(): string[] {
    return Array.from({ length: this.written }, (_, i) => lineId(i + 1));
  }
}
