/**
 * Tail checkpoints: `{path, inode, offset}` per followed file (as Fluent Bit's in_tail_files
 * table), written atomically (temp file + rename) so a kill -9 leaves the old or the new one.
 * `generation` counts copytruncate resets of the same inode, so derived event ids stay unique.
 * Saves are asynchronous: on a busy disk a rename can take tens of milliseconds (60 ms each while
 * bench:agent ran beside nats-server's store), and the lines must not wait for it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface FileCheckpoint {
  path: string;
  inode: number;
  offset: number;
  generation: number;
  /** Wall clock of the save: restart dedupe looks at the stream from a little before it. */
  saved_at: number;
}

export class CheckpointStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private fileFor(path: string): string {
    return join(this.dir, `file-${createHash('sha256').update(path).digest('hex').slice(0, 16)}.json`);
  }

  load(path: string): FileCheckpoint | null {
    try {
      const c = JSON.parse(readFileSync(this.fileFor(path), 'utf8')) as FileCheckpoint;
      if (c.path !== path || !Number.isSafeInteger(c.offset) || !Number.isSafeInteger(c.inode)) return null;
      return { ...c, generation: c.generation ?? 0, saved_at: c.saved_at ?? 0 };
    } catch {
      return null;
    }
  }

  async save(c: FileCheckpoint): Promise<void> {
    const target = this.fileFor(c.path);
    const tmp = `${target}.tmp`;
    await writeFile(tmp, JSON.stringify(c));
    await rename(tmp, target);
  }
}
