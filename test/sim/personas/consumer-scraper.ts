import { api, CUSTOMER_COUNT } from '../api.js';
import { dayStart, HOUR_MS } from '../calendar.js';
import { Client } from '../client.js';
import type { SimRequest } from '../event.js';
import { SCRAPER_AGENTS } from '../identity.js';
import { Origin } from '../origin.js';
import { BusinessHours } from './business-hours.js';
import type { Behaviour, Persona, PersonaContext } from './persona.js';
import { SliceReader } from './slice-reader.js';

const SLICE = 40_000;

/**
 * A consumer whose keys together do what none does alone. Member 0 of the group is the consumer's
 * own integration (honest, business hours). From the attack day, whoever holds the consumer's
 * credentials runs the other members: new keys of the same consumer, each from its own cloud
 * network with its own agent, each reading 300-450 customers a day in scattered order, around
 * the clock, from its own stretch of the id space. Nothing links them but the consumer.
 */
class ConsumerKey implements Behaviour {
  constructor(
    private readonly ctx: PersonaContext,
    private readonly reader: SliceReader,
  ) {}

  day(day: number, out: SimRequest[]): void {
    this.reader.run(dayStart(this.ctx.window, day + 1), out);
  }
}

export function consumerScraper(ctx: PersonaContext): Persona {
  const group = ctx.group;
  if (!group) throw new Error('sim: consumer-scraper keys are planted in groups');
  if (group.member === 0) {
    const base = new BusinessHours(ctx, ctx.rng.chance(0.5) ? 'crm-sync' : 'order-sync', [60, 250]);
    return { behaviour: base, tzOffsetMin: base.tzOffsetMin, attackStartMs: null, attack: null };
  }
  const plan = group.shared('plan');
  const hour = plan.uniform(0, 20);
  const first = plan.int(1, CUSTOMER_COUNT - group.size * SLICE);
  const rng = ctx.fork('attack');
  const agent = rng.pick(SCRAPER_AGENTS);
  const origin = new Origin([ctx.pool.allocate(rng)], [rng.int(2, 250)], [agent], rng.int(40, 120));
  const start = Math.round(dayStart(ctx.window, ctx.window.attackDay) + (hour + rng.uniform(0, 6)) * HOUR_MS);
  const perDay = rng.int(300, 450);
  const gap = 86_400 / perDay;
  const reader = new SliceReader(rng, new Client(ctx.apiKey, 0.002, rng), origin, start, first + (group.member - 1) * SLICE, SLICE, api.customer, [0.6 * gap, 1.4 * gap]);
  return {
    behaviour: new ConsumerKey(ctx, reader),
    tzOffsetMin: null,
    attackStartMs: start,
    attack: {
      description: `consumer's new key ${group.member} of ${group.size - 1}: ${perDay} /v1/customers/{int} a day in scattered order, from its own network and agent`,
      routes: ['/v1/customers/{int}'],
      networks: [...origin.networks],
      userAgents: [agent],
    },
  };
}
