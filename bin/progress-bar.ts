/**
 * A one-line progress bar on stderr for long replays: share of bytes read, lines/s and an ETA
 * from bytes read against the files' sizes. Only drawn on a TTY; elsewhere it prints nothing.
 */
import type { WriteStream } from 'node:tty';
import type { ReplayProgress } from './replay.js';

const WIDTH = 28;

function duration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '--:--';
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m % 60)}:${pad(Math.floor(s % 60))}` : `${pad(m)}:${pad(Math.floor(s % 60))}`;
}

export function progressLine(p: ReplayProgress, columns = 80): string {
  const share = p.totalBytes > 0 ? Math.min(1, p.bytes / p.totalBytes) : 0;
  const filled = Math.round(share * WIDTH);
  const rate = p.seconds > 0 ? p.lines / p.seconds : 0;
  const eta = share > 0 ? (p.seconds / share) * (1 - share) : Number.NaN;
  const line = `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${(share * 100).toFixed(0).padStart(3)} %  ${p.lines.toLocaleString('en')} lines  ${Math.round(rate).toLocaleString('en')} lines/s  ETA ${duration(eta)}`;
  return line.slice(0, Math.max(10, columns - 1));
}

export class ProgressBar {
  private drawn = false;

  constructor(private readonly out: WriteStream) {}

  /** A bar for `stream`, or null when it is not a terminal. */
  static forStream(stream: NodeJS.WriteStream): ProgressBar | null {
    return stream.isTTY ? new ProgressBar(stream as WriteStream) : null;
  }

  update(p: ReplayProgress): void {
    this.out.write(`\r${progressLine(p, this.out.columns || 80)}\x1b[K`);
    this.drawn = true;
  }

  /** Clears the bar so the next line starts clean. */
  done(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }
}
