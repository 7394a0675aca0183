import { SECOND_MS } from '../calendar.js';
import type { ApiCall } from '../api.js';
import type { Client } from '../client.js';
import type { SimRequest } from '../event.js';
import type { Origin } from '../origin.js';
import type { Rng } from '../prng.js';

/** A multiplier coprime with the slice sizes used (powers of 2, 3 and 5): k → id visits every id of the slice once. */
const STRIDE = 7919;

/**
 * Reads every id of a slice `[first, first + size)` once, in scattered order (no id walk), one
 * request every `gapS` seconds around the clock, from `startMs` until the slice is done.
 */
export class SliceReader {
  private nextMs: number;
  private k = 0;

  constructor(
    private readonly rng: Rng,
    private readonly client: Client,
    private readonly origin: Origin,
    readonly startMs: number,
    private readonly first: number,
    private readonly size: number,
    private readonly route: (id: number) => ApiCall,
    private readonly gapS: readonly [number, number],
  ) {
    this.nextMs = startMs;
  }

  /** Pushes the requests starting before `untilMs`. */
  run(untilMs: number, out: SimRequest[]): void {
    while (this.nextMs < untilMs && this.k < this.size) {
      const id = this.first + ((this.k++ * STRIDE) % this.size);
      const req = this.client.send(this.route(id), this.nextMs, this.origin, true);
      out.push(req);
      const next = this.nextMs + Math.round(this.rng.uniform(this.gapS[0], this.gapS[1]) * SECOND_MS);
      this.nextMs = Math.max(next, req.endMs + SECOND_MS);
    }
  }
}
