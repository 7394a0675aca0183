import { api } from '../api.js';
import { dayStart, HOUR_MS } from '../calendar.js';
import { Client } from '../client.js';
import type { SimRequest } from '../event.js';
import { SCRAPER_AGENTS } from '../identity.js';
import { Origin } from '../origin.js';
import type { Behaviour, Persona, PersonaContext } from './persona.js';
import { Enumerator } from './enumerator.js';

/** A key first seen on the attack day that at once walks /v1/orders/{id} sequentially, every 25-75 s. */
class NewKeyScraper implements Behaviour {
  constructor(
    private readonly ctx: PersonaContext,
    private readonly scraper: Enumerator,
  ) {}

  day(day: number, out: SimRequest[]): void {
    this.scraper.run(dayStart(this.ctx.window, day + 1), out);
  }
}

export function newKeyScraper(ctx: PersonaContext): Persona {
  const rng = ctx.fork('attack');
  const origin = new Origin([ctx.pool.allocate(rng)], [rng.int(2, 250)], [rng.pick(SCRAPER_AGENTS)], rng.int(40, 120));
  const start = dayStart(ctx.window, ctx.window.attackDay) + rng.int(0, 20 * HOUR_MS);
  const scraper = new Enumerator(rng, new Client(ctx.apiKey, 0.002, rng), origin, start, rng.int(1000, 4_000_000), api.order, [25, 75]);
  return {
    behaviour: new NewKeyScraper(ctx, scraper),
    tzOffsetMin: null,
    attackStartMs: start,
    attack: {
      description: 'new key: sequential /v1/orders/{int} every 25-75 s from its first request on',
      routes: ['/v1/orders/{int}'],
      networks: [...origin.networks],
      userAgents: [...origin.userAgents],
    },
  };
}
