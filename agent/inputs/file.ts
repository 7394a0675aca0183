/**
 * File input: follows access log files with the `tail` package and hands each line to the
 * pipeline. Waits for a file that does not exist yet. Resolves when its signal aborts; never
 * retries a failed read by itself beyond waiting for the file to appear.
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Tail } from 'tail';
import type { Logger } from 'pino';

export interface FileInputOptions {
  paths: string[];
  /** @default false */
  fromBeginning: boolean;
}

export type LineSink = (line: string) => void;

export async function runFileInput(opts: FileInputOptions, onLine: LineSink, signal: AbortSignal, log: Logger): Promise<void> {
  await Promise.all(opts.paths.map((path) => followOne(path, opts.fromBeginning, onLine, signal, log)));
}

async function followOne(path: string, fromBeginning: boolean, onLine: LineSink, signal: AbortSignal, log: Logger): Promise<void> {
  let warned = false;
  while (!existsSync(path)) {
    if (signal.aborted) return;
    if (!warned) log.warn({ path }, 'waiting for the log file to appear (inputs.file.paths)');
    warned = true;
    await sleep(500, undefined, { signal }).catch(() => undefined);
  }
  if (signal.aborted) return;
  // A file that appeared after start is read from its beginning: its lines are new.
  const tail = new Tail(path, { fromBeginning: fromBeginning || warned, follow: true, flushAtEOF: false });
  tail.on('line', onLine);
  tail.on('error', (err: unknown) => log.warn({ path, err: String(err) }, 'file input error'));
  log.info({ path }, 'following file');
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  tail.unwatch();
}
