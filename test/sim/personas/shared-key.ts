import { api, CUSTOMER_COUNT, ORDER_COUNT, type ApiCall } from '../api.js';
import { dayStart, HOUR_MS } from '../calendar.js';
import { Client } from '../client.js';
import type { SimRequest } from '../event.js';
import { STRAY_AGENTS } from '../identity.js';
import { Origin } from '../origin.js';
import type { Rng } from '../prng.js';
import { BusinessHours, uuid } from './business-hours.js';
import type { Behaviour, Persona, PersonaContext } from './persona.js';

/**
 * A business-hours key that gets shared or leaked on the attack day: besides its own
 * traffic, 18-30 new /24 networks in unrelated ranges, each with its own agent, join one by
 * one (a few at once, then one every 0.5-4 h) and send a moderate 8-25 requests an hour
 * between them, around the clock.
 */
class SharedKey implements Behaviour {
  constructor(
    private readonly ctx: PersonaContext,
    private readonly rng: Rng,
    private readonly base: BusinessHours,
    private readonly client: Client,
    private readonly origins: readonly Origin[],
    private readonly joinMs: readonly number[],
    readonly startMs: number,
  ) {}

  day(day: number, out: SimRequest[]): void {
    this.base.day(day, out);
    const rng = this.rng;
    const start = dayStart(this.ctx.window, day);
    for (let h = 0; h < 24; h++) {
      const hourStart = start + h * HOUR_MS;
      if (hourStart + HOUR_MS <= this.startMs) continue;
      if (this.startMs >= hourStart) out.push(this.send(this.startMs));
      const n = rng.poisson(rng.uniform(8, 25));
      for (let i = 0; i < n; i++) {
        const t = hourStart + rng.uniform(0, HOUR_MS);
        if (t > this.startMs) out.push(this.send(t));
      }
    }
  }

  private send(t: number): SimRequest {
    let joined = 0;
    while (joined < this.joinMs.length && (this.joinMs[joined] ?? Infinity) <= t) joined++;
    const origin = this.origins[this.rng.int(0, Math.max(1, joined) - 1)] as Origin;
    return this.client.send(this.call(), t, origin, true);
  }

  private call(): ApiCall {
    const rng = this.rng;
    switch (rng.weighted([['customer', 40], ['customers', 15], ['order', 25], ['product', 10], ['invoice', 10]] as const)) {
      case 'customer':
        return api.customer(rng.int(1, CUSTOMER_COUNT));
      case 'customers':
        return api.customers(rng.int(1, 3), 50);
      case 'order':
        return api.order(rng.int(1, ORDER_COUNT));
      case 'product':
        return api.product(`SKU-${rng.int(10000, 99999)}`);
      case 'invoice':
        return api.invoice(uuid(rng));
    }
  }
}

export function sharedKey(ctx: PersonaContext): Persona {
  const base = new BusinessHours(ctx);
  const rng = ctx.fork('attack');
  const start = dayStart(ctx.window, ctx.window.attackDay) + rng.int(0, 14 * HOUR_MS);
  const networks = ctx.pool.allocateMany(rng, rng.int(18, 30));
  const origins = networks.map(
    (net) => new Origin([net], Array.from({ length: rng.int(1, 3) }, () => rng.int(2, 250)), [rng.pick(STRAY_AGENTS)], rng.int(40, 300)),
  );
  let t = start;
  const joinMs = networks.map((_net, i) => (i < 3 ? start : (t += Math.round(rng.uniform(0.5, 4) * HOUR_MS))));
  return {
    behaviour: new SharedKey(ctx, rng, base, new Client(ctx.apiKey, 0.03, rng), origins, joinMs, start),
    tzOffsetMin: base.tzOffsetMin,
    attackStartMs: start,
    attack: {
      description: 'shared or leaked key: many new /24 networks with varied agents, 8-25 requests an hour around the clock',
      routes: ['/v1/customers/{int}', '/v1/customers', '/v1/orders/{int}', '/v1/products/{sku}', '/v1/invoices/{uuid}'],
      networks,
      userAgents: [...new Set(origins.flatMap((o) => o.userAgents))],
    },
  };
}
