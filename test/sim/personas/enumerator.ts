import { SECOND_MS } from '../calendar.js';
import type { ApiCall } from '../api.js';
import type { Client } from '../client.js';
import type { SimRequest } from '../event.js';
import type { Origin } from '../origin.js';
import type { Rng } from '../prng.js';

/**
 * One request at a time, forever: ids `first`, `first + 1`, ... on `route(id)`, the next
 * request starting 30-90 s (or the given gap) after the previous one started, and never
 * before the previous one ended. At most 3600 / minGap requests in any hour, so it stays
 * under any sane per-key rate limit.
 */
export class Enumerator {
  private nextMs: number;
  private id: number;

  constructor(
    private readonly rng: Rng,
    private readonly client: Client,
    private readonly origin: Origin,
    readonly startMs: number,
    first: number,
    private readonly route: (id: number) => ApiCall,
    private readonly gapS: readonly [number, number] = [30, 90],
  ) {
    this.nextMs = startMs;
    this.id = first;
  }

  /** Pushes the requests starting before `untilMs`. */
  run(untilMs: number, out: SimRequest[]): void {
    while (this.nextMs < untilMs) {
      const req = this.client.send(this.route(this.id), this.nextMs, this.origin, true);
      out.push(req);
      this.id++;
      // One request in flight at a time: after a slow answer (a 504 takes 60 s) the next waits for it.
      const next = this.nextMs + Math.round(this.rng.uniform(this.gapS[0], this.gapS[1]) * SECOND_MS);
      this.nextMs = Math.max(next, req.endMs + SECOND_MS);
    }
  }
}
