/**
 * Hands a request's lines or records to the pipeline one at a time and remembers when the pipeline
 * asked to pause, until `ctx.drained()` resolves. HTTP cannot take back what was handed over: when
 * the pipeline fills in the middle of a batch, the records before that point stay accepted and
 * the client is told to retry (503); its retry delivers them again, and the detector drops the
 * repeats by event id (gateway request ids, or ids derived from the line or record).
 */
import type { InputContext } from '../input.js';

export class Handoff {
  private full = false;

  constructor(private readonly ctx: InputContext) {}

  /** True while the pipeline wants no more: new requests get 503 without handing anything over. */
  get paused(): boolean {
    return this.full;
  }

  /** Hands items over in order; answers how many were accepted before the pipeline asked to pause. */
  give<T>(items: readonly T[], one: (item: T) => boolean): number {
    for (let i = 0; i < items.length; i++) {
      if (!one(items[i] as T)) {
        this.pause();
        return i + 1;
      }
    }
    return items.length;
  }

  private pause(): void {
    if (this.full) return;
    this.full = true;
    void this.ctx.drained().then(() => {
      this.full = false;
    });
  }
}
