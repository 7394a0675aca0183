import { api, CUSTOMER_COUNT } from '../api.js';
import { dayStart, HOUR_MS } from '../calendar.js';
import { Client } from '../client.js';
import type { SimRequest } from '../event.js';
import { SCRAPER_AGENTS } from '../identity.js';
import { NetworkPool } from '../network-pool.js';
import { Origin } from '../origin.js';
import type { Behaviour, Persona, PersonaContext } from './persona.js';
import { SliceReader } from './slice-reader.js';

/** Ids of /v1/customers/{int} each key of the campaign reads: its own slice. */
const SLICE = 6_000;

/**
 * One key of a distributed scraper: a group of new keys (GROUP_SIZE) started together, each
 * reading its own slice of /v1/customers/{int} (6,000 consecutive ids; together one stretch of the
 * id space), every id once in scattered order, 400-700 a day around the clock. They run one
 * script (one user agent, one route) from one hosting provider (one /16, a /24 each). Alone, each
 * key is a new integration reading a few hundred records a day.
 */
class DistributedScraper implements Behaviour {
  constructor(
    private readonly ctx: PersonaContext,
    private readonly reader: SliceReader,
  ) {}

  day(day: number, out: SimRequest[]): void {
    this.reader.run(dayStart(this.ctx.window, day + 1), out);
  }
}

export function distributedScraper(ctx: PersonaContext): Persona {
  const group = ctx.group;
  if (!group) throw new Error('sim: distributed-scraper keys are planted in groups');
  const plan = group.shared('plan');
  const block = NetworkPool.block(plan);
  const agent = plan.pick(SCRAPER_AGENTS);
  const first = plan.int(1, CUSTOMER_COUNT - group.size * SLICE);
  const hour = plan.uniform(0, 20);
  const rng = ctx.fork('attack');
  const origin = new Origin([ctx.pool.allocateIn(rng, block)], [rng.int(2, 250)], [agent], rng.int(40, 120));
  const start = Math.round(dayStart(ctx.window, ctx.window.attackDay) + (hour + rng.uniform(0, 3)) * HOUR_MS);
  const perDay = rng.int(400, 700);
  const gap = 86_400 / perDay;
  const reader = new SliceReader(rng, new Client(ctx.apiKey, 0.002, rng), origin, start, first + group.member * SLICE, SLICE, api.customer, [0.6 * gap, 1.4 * gap]);
  return {
    behaviour: new DistributedScraper(ctx, reader),
    tzOffsetMin: null,
    attackStartMs: start,
    attack: {
      description: `distributed scraper, key ${group.member + 1} of ${group.size}: its own slice of /v1/customers/{int} (${SLICE} ids), ${perDay} a day in scattered order, from ${block}.0.0/16`,
      routes: ['/v1/customers/{int}'],
      networks: [...origin.networks],
      userAgents: [agent],
    },
  };
}
