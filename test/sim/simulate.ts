import type { SimEvent } from './event.js';
import { formatKongLine } from './format-kong.js';
import { formatNginxLine } from './format-nginx.js';
import { generateEvents } from './generate.js';
import { resolveOptions, type SimOptions } from './options.js';
import { buildRoster } from './roster.js';
import { truthOf, type Truth } from './truth.js';

export interface Simulation {
  truth: Truth;
  /** Requests in log order. Lazy; every iteration regenerates the same sequence. */
  events: Iterable<SimEvent>;
  /** The same requests as log lines (NGINX, or Kong with SimOptions.format kong; no trailing newline). Lazy, re-iterable. */
  lines: Iterable<string>;
  /** One event as its log line, in the run's format. */
  line(e: SimEvent): string;
}

/** A seeded simulation: same seed and options give byte-identical lines. */
export function simulate(input: Partial<SimOptions> = {}): Simulation {
  const opts = resolveOptions(input);
  const events = (): Generator<SimEvent> => generateEvents(buildRoster(opts), opts.seed);
  const roster = buildRoster(opts);
  const consumers = roster.keys.map((k) => k.consumer);
  const line = opts.format === 'kong' ? (e: SimEvent) => formatKongLine(e, consumers[e.stream] ?? null) : formatNginxLine;
  return {
    truth: truthOf(roster, opts),
    events: { [Symbol.iterator]: events },
    lines: {
      *[Symbol.iterator]() {
        for (const e of events()) yield line(e);
      },
    },
    line,
  };
}
