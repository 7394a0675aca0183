/**
 * One pause shared by every ALS stream: when the pipeline answers false to any stream, all of them
 * stop reading until `ctx.drained()` resolves, then each goes on in turn.
 */
import type { InputContext } from '../input.js';

export class Gate {
  private shut = false;
  private waiters: Array<() => void> = [];

  constructor(private readonly ctx: InputContext) {}

  get closed(): boolean {
    return this.shut;
  }

  close(): void {
    if (this.shut) return;
    this.shut = true;
    void this.ctx.drained().then(() => {
      this.shut = false;
      const waiters = this.waiters;
      this.waiters = [];
      // A waiter may close the gate again; those after it then wait for the next drain.
      for (const w of waiters) {
        if (this.shut) this.waiters.push(w);
        else w();
      }
    });
  }

  /** Runs `then` once the gate is open (at once if it is). */
  wait(then: () => void): void {
    if (this.shut) this.waiters.push(then);
    else then();
  }
}
