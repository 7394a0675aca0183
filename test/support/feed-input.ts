/** An agent input that hands over what a test gives it, then waits for the agent to stop. */
import type { Input, InputContext } from '../../agent/inputs/input.js';

export class Feed implements Input {
  readonly name = 'feed';
  private finished!: () => void;
  /** Resolves once everything was handed over. */
  readonly done = new Promise<void>((resolve) => (this.finished = resolve));

  constructor(private readonly feed: (ctx: InputContext) => void) {}

  async run(ctx: InputContext): Promise<void> {
    this.feed(ctx);
    this.finished();
    if (!ctx.signal.aborted) await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
  }
}
