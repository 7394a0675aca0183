import { api } from '../api.js';
import { dayStart, HOUR_MS } from '../calendar.js';
import { Client } from '../client.js';
import type { SimRequest } from '../event.js';
import { SCRAPER_AGENTS } from '../identity.js';
import { Origin } from '../origin.js';
import { BusinessHours } from './business-hours.js';
import { Enumerator } from './enumerator.js';
import type { Behaviour, Persona, PersonaContext } from './persona.js';

/**
 * A business-hours integration whose key leaks on the attack day: its own traffic goes on,
 * and from a new network with another agent someone walks /v1/customers/{id} sequentially,
 * day and night, at 40-120 requests an hour.
 */
class SlowScraper implements Behaviour {
  constructor(
    private readonly ctx: PersonaContext,
    private readonly base: BusinessHours,
    private readonly scraper: Enumerator,
  ) {}

  day(day: number, out: SimRequest[]): void {
    this.base.day(day, out);
    this.scraper.run(dayStart(this.ctx.window, day + 1), out);
  }
}

export function slowScraper(ctx: PersonaContext): Persona {
  const base = new BusinessHours(ctx);
  const rng = ctx.fork('attack');
  const origin = new Origin([ctx.pool.allocate(rng)], [rng.int(2, 250)], [rng.pick(SCRAPER_AGENTS)], rng.int(40, 120));
  const start = dayStart(ctx.window, ctx.window.attackDay) + rng.int(0, 16 * HOUR_MS);
  const scraper = new Enumerator(rng, new Client(ctx.apiKey, 0.002, rng), origin, start, rng.int(1, 3000), api.customer);
  return {
    behaviour: new SlowScraper(ctx, base, scraper),
    tzOffsetMin: base.tzOffsetMin,
    attackStartMs: start,
    attack: {
      description: 'leaked key: sequential /v1/customers/{int} every 30-90 s, around the clock, from a new network and agent',
      routes: ['/v1/customers/{int}'],
      networks: [...origin.networks],
      userAgents: [...origin.userAgents],
    },
  };
}
