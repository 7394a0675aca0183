import type { SimEvent } from './event.js';
import { formatNginxLine } from './format-nginx.js';
import { generateEvents } from './generate.js';
import { resolveOptions, type SimOptions } from './options.js';
import { buildRoster } from './roster.js';
import { truthOf, type Truth } from './truth.js';

export interface Simulation {
  truth: Truth;
  /** Requests in log order. Lazy; every iteration regenerates the same sequence. */
  events: Iterable<SimEvent>;
  /** The same requests as NGINX log lines (no trailing newline). Lazy, re-iterable. */
  lines: Iterable<string>;
}

/** A seeded simulation: same seed and options give byte-identical lines. */
export function simulate(input: Partial<SimOptions> = {}): Simulation {
  const opts = resolveOptions(input);
  const events = (): Generator<SimEvent> => generateEvents(buildRoster(opts), opts.seed);
  return {
    truth: truthOf(buildRoster(opts), opts),
    events: { [Symbol.iterator]: events },
    lines: {
      *[Symbol.iterator]() {
        for (const e of events()) yield formatNginxLine(e);
      },
    },
  };
}
