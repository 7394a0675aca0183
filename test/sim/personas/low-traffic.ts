import { api, CUSTOMER_COUNT, ORDER_COUNT, type ApiCall } from '../api.js';
import { dayStart, isWorkday, HOUR_MS, MINUTE_MS } from '../calendar.js';
import { Client } from '../client.js';
import type { SimRequest } from '../event.js';
import { companyName, integrationOrigin } from '../identity.js';
import type { Origin } from '../origin.js';
import { TZ_OFFSETS_MIN, workingSet } from './business-hours.js';
import type { Behaviour, Persona, PersonaContext } from './persona.js';

/**
 * A small customer's script or a developer key: a handful of requests on some days, at
 * irregular day-time hours (08:00-22:00 local), to a few objects.
 */
class LowTraffic implements Behaviour {
  private readonly origin: Origin;
  private readonly client: Client;
  readonly tzOffsetMin: number;
  private readonly activeShare: number;
  private readonly customers: number[];
  private readonly orders: number[];

  constructor(private readonly ctx: PersonaContext) {
    const rng = ctx.rng;
    this.origin = integrationOrigin(rng, ctx.pool, companyName(rng));
    this.client = new Client(ctx.apiKey, rng.uniform(0.01, 0.04), rng, ctx.drift);
    this.tzOffsetMin = rng.pick(TZ_OFFSETS_MIN);
    this.activeShare = rng.uniform(0.3, 0.8);
    this.customers = workingSet(rng, rng.int(3, 12), CUSTOMER_COUNT, 'customer');
    this.orders = workingSet(rng, rng.int(3, 12), ORDER_COUNT, 'order');
  }

  day(day: number, out: SimRequest[]): void {
    const rng = this.ctx.rng;
    const start = dayStart(this.ctx.window, day);
    if (!rng.chance(this.activeShare * (isWorkday(start) ? 1 : 0.3))) return;
    const midnight = start - this.tzOffsetMin * MINUTE_MS;
    const n = rng.int(1, 6);
    for (let i = 0; i < n; i++) {
      const t = midnight + rng.uniform(8, 22) * HOUR_MS;
      out.push(this.client.send(this.call(), t, this.origin));
    }
  }

  private call(): ApiCall {
    const rng = this.ctx.rng;
    switch (rng.int(0, 3)) {
      case 0:
        return api.customer(rng.pick(this.customers));
      case 1:
        return api.order(rng.pick(this.orders));
      case 2:
        return api.ordersOfCustomer(rng.pick(this.customers), 1);
      default:
        return api.customers(1, rng.pick([10, 20]));
    }
  }
}

export function lowTraffic(ctx: PersonaContext): Persona {
  const behaviour = new LowTraffic(ctx);
  return { behaviour, tzOffsetMin: behaviour.tzOffsetMin, attackStartMs: null, attack: null };
}
