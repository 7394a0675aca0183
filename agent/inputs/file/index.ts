/**
 * File input: follows access log files (our follower, follower.ts) and hands each line to the
 * pipeline with its position. Positions become checkpoints only once the pipeline says every
 * line before them is published or spooled, so a kill -9 re-reads at most what was not durable.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config, LineFormat } from '../../../contracts/index.js';
import type { Input, InputContext } from '../input.js';
import { CheckpointStore, type FileCheckpoint } from './checkpoint.js';
import { FileFollower } from './follower.js';

const CHECKPOINT_MS = 1000;

interface Mark {
  seq: number;
  inode: number;
  offset: number;
  generation: number;
}

class FileInput implements Input {
  readonly name = 'file';
  private readonly store: CheckpointStore;
  /** Per path, positions in hand-over order, waiting to become durable. */
  private readonly marks = new Map<string, Mark[]>();
  private readonly last = new Map<string, string>();
  /** Checkpoints to write, the latest per path; one writer at a time works through them. */
  private readonly due = new Map<string, FileCheckpoint>();
  private writing: Promise<void> | null = null;
  private log: Logger | undefined;

  constructor(
    private readonly paths: string[],
    private readonly format: LineFormat,
    private readonly fromBeginning: boolean,
    private readonly maxLineBytes: number,
    stateDir: string,
  ) {
    this.store = new CheckpointStore(join(stateDir, 'checkpoints'));
  }

  resumeSince(): number | null {
    let since: number | null = null;
    for (const p of this.paths) {
      const c = this.store.load(p);
      if (c) since = since === null ? c.saved_at : Math.min(since, c.saved_at);
    }
    return since;
  }

  async run(ctx: InputContext): Promise<void> {
    this.log = ctx.log.child({ input: 'file' });
    const timer = setInterval(() => void this.checkpoint(ctx.durable()), CHECKPOINT_MS);
    try {
      await Promise.all(
        this.paths.map((path) => {
          const marks: Mark[] = [];
          this.marks.set(path, marks);
          const follower = new FileFollower(
            { path, fromBeginning: this.fromBeginning, maxLineBytes: this.maxLineBytes, checkpoint: this.store.load(path) },
            {
              lines: (texts, offsets, count, stream) => ctx.lineBatch(texts, offsets, count, this.format, stream),
              tooLong: () => void ctx.record('too_long', 'file'),
              drained: () => ctx.drained(),
              caughtUp: () => ctx.caughtUp?.(),
              position: (inode, offset, generation) => marks.push({ seq: ctx.handed(), inode, offset, generation }),
            },
            ctx.log.child({ input: 'file' }),
          );
          return follower.run(ctx.signal);
        }),
      );
    } finally {
      clearInterval(timer);
    }
  }

  /** Resolves once every checkpoint due so far is on disk. */
  checkpoint(durable: number): Promise<void> {
    for (const [path, marks] of this.marks) {
      let m: Mark | undefined;
      while (marks.length > 0 && (marks[0] as Mark).seq <= durable) m = marks.shift();
      if (!m) continue;
      const c: FileCheckpoint = { path, inode: m.inode, offset: m.offset, generation: m.generation, saved_at: Date.now() };
      const key = `${c.inode}:${c.offset}:${c.generation}`;
      if (this.last.get(path) === key) continue;
      this.due.set(path, c);
      this.last.set(path, key);
    }
    if (this.due.size > 0) this.writing ??= this.writeDue();
    return this.writing ?? Promise.resolve();
  }

  private async writeDue(): Promise<void> {
    try {
      for (let next = this.due.entries().next(); !next.done; next = this.due.entries().next()) {
        const [path, c] = next.value;
        this.due.delete(path);
        try {
          await this.store.save(c);
        } catch (err) {
          // The next checkpoint (a second later) tries again; until then a restart re-reads more.
          this.last.delete(path);
          this.log?.warn({ path, code: (err as NodeJS.ErrnoException).code }, 'cannot write the file checkpoint (agent.state_dir)');
        }
      }
    } finally {
      this.writing = null;
    }
  }
}

export function stateDirOf(config: Config): string {
  return config.agent.state_dir !== '' ? config.agent.state_dir : join(homedir(), '.lowslow', 'agent');
}

export function createFileInput(config: Config): Input {
  const f = config.inputs.file;
  return new FileInput(f.paths, f.format, f.from_beginning, config.inputs.max_line_bytes, stateDirOf(config));
}
