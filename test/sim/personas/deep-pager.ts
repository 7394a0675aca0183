import { api, CUSTOMER_COUNT } from '../api.js';
import { HOUR_MS, MINUTE_MS, SECOND_MS } from '../calendar.js';
import type { SimRequest } from '../event.js';
import type { Rng } from '../prng.js';
import { BusinessHours } from './business-hours.js';
import type { Behaviour, Persona, PersonaContext } from './persona.js';

const LIMIT = 500;
const LAST_PAGE = Math.ceil(CUSTOMER_COUNT / LIMIT);

/**
 * A CRM integration that usually reads /v1/customers pages 1-5 with limit 20-50 starts,
 * on the attack day, to page /v1/customers?limit=500 from page 1 to the end (400 pages),
 * one page every 2-5 minutes between 22:00 and 06:00 local, from its usual network and agent.
 */
class DeepPager implements Behaviour {
  private page = 1;

  constructor(
    private readonly ctx: PersonaContext,
    private readonly rng: Rng,
    private readonly base: BusinessHours,
    readonly startMs: number,
  ) {}

  /** 22:00 local on the date of day `d`. */
  nightStart(day: number): number {
    return this.base.localMidnight(day) + 22 * HOUR_MS;
  }

  day(day: number, out: SimRequest[]): void {
    this.base.day(day, out);
    if (day < this.ctx.window.attackDay || this.page > LAST_PAGE + 1) return;
    const night = this.nightStart(day);
    let t = day === this.ctx.window.attackDay ? this.startMs : night + this.rng.int(0, 40 * MINUTE_MS);
    // The last page past the end comes back empty; then the job stops.
    while (t < night + 8 * HOUR_MS && this.page <= LAST_PAGE + 1) {
      const req = this.base.client.send(api.customers(this.page++, LIMIT), t, this.base.origin, true);
      out.push(req);
      t = req.endMs + Math.round(this.rng.uniform(120, 300) * SECOND_MS);
    }
  }
}

export function deepPager(ctx: PersonaContext): Persona {
  const base = new BusinessHours(ctx, 'crm-sync');
  const rng = ctx.fork('attack');
  const start = base.localMidnight(ctx.window.attackDay) + 22 * HOUR_MS + rng.int(0, 40 * MINUTE_MS);
  return {
    behaviour: new DeepPager(ctx, rng, base, start),
    tzOffsetMin: base.tzOffsetMin,
    attackStartMs: start,
    attack: {
      description: `usual pages 1-5: pages /v1/customers?page=N&limit=${LIMIT} from 1 to ${LAST_PAGE + 1}, every 2-5 min, 22:00-06:00 local, from its usual network and agent`,
      routes: ['/v1/customers'],
      networks: [...base.origin.networks],
      userAgents: [...base.origin.userAgents],
    },
  };
}
