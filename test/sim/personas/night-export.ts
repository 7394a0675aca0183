import { api, ORDER_COUNT, type ApiCall } from '../api.js';
import { dayStart, HOUR_MS, SECOND_MS } from '../calendar.js';
import { Client } from '../client.js';
import type { SimRequest } from '../event.js';
import { STRAY_AGENTS } from '../identity.js';
import { Origin } from '../origin.js';
import type { Rng } from '../prng.js';
import { BackOffice } from './back-office.js';
import type { Behaviour, Persona, PersonaContext } from './persona.js';

const LIST_LIMIT = 100;
/** The burst never runs past this local hour. */
const DAWN_HOUR = 5.5;

/**
 * A back-office key (people, office hours) stolen and used once, at night in the victim's
 * time zone: starting between 00:30 and 03:00 local, for 1.5-4 hours (ending by 05:30),
 * a bulk export from a new network with a scripting agent: /v1/customers pages with
 * limit=100 one after another, each followed by some of the listed customers and random
 * orders, one request every 2-5 s. The staff's own traffic goes on by day.
 */
class NightExport implements Behaviour {
  private done = false;

  constructor(
    private readonly ctx: PersonaContext,
    private readonly rng: Rng,
    private readonly base: BackOffice,
    private readonly client: Client,
    private readonly origin: Origin,
    readonly startMs: number,
    private readonly endMs: number,
  ) {}

  day(day: number, out: SimRequest[]): void {
    this.base.day(day, out);
    if (this.done || this.startMs >= dayStart(this.ctx.window, day + 1)) return;
    this.done = true;
    const rng = this.rng;
    let page = 1;
    let customer = 1;
    for (let t = this.startMs; t < this.endMs; ) {
      let call: ApiCall;
      if (customer <= (page - 1) * LIST_LIMIT && rng.chance(0.5)) call = api.customer(customer++);
      else if (rng.chance(0.25)) call = api.order(rng.int(1, ORDER_COUNT));
      else {
        call = api.customers(page++, LIST_LIMIT);
        customer = Math.max(customer, (page - 2) * LIST_LIMIT + 1 + rng.int(0, 60));
      }
      const req = this.client.send(call, t, this.origin, true);
      out.push(req);
      t = Math.max(req.endMs, t + Math.round(rng.uniform(2, 5) * SECOND_MS));
    }
  }
}

export function nightExport(ctx: PersonaContext): Persona {
  const base = new BackOffice(ctx);
  const rng = ctx.fork('attack');
  // The night after the attack day's evening: early hours of the next local date.
  const midnight = base.localMidnight(ctx.window.attackDay + 1);
  const start = Math.round(midnight + rng.uniform(0.5, 3) * HOUR_MS);
  const end = Math.min(start + Math.round(rng.uniform(1.5, 4) * HOUR_MS), midnight + DAWN_HOUR * HOUR_MS);
  const origin = new Origin([ctx.pool.allocate(rng)], [rng.int(2, 250)], [rng.pick(STRAY_AGENTS.slice(0, 8))], rng.int(40, 160));
  return {
    behaviour: new NightExport(ctx, rng, base, new Client(ctx.apiKey, 0.002, rng), origin, start, end),
    tzOffsetMin: base.tzOffsetMin,
    attackStartMs: start,
    attack: {
      description: 'stolen office-hours key: one night-time bulk export (customers pages of 100, customers, orders; a request every 2-5 s) from a new network and agent',
      routes: ['/v1/customers', '/v1/customers/{int}', '/v1/orders/{int}'],
      networks: [...origin.networks],
      userAgents: [...origin.userAgents],
    },
  };
}
