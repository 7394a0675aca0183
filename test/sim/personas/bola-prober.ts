import { api, CUSTOMER_COUNT, ORDER_COUNT, type ApiCall } from '../api.js';
import { dayStart, isWorkday, HOUR_MS } from '../calendar.js';
import { Client } from '../client.js';
import type { SimRequest } from '../event.js';
import { STRAY_AGENTS } from '../identity.js';
import { Origin } from '../origin.js';
import type { Rng } from '../prng.js';
import { BusinessHours } from './business-hours.js';
import type { Behaviour, Persona, PersonaContext } from './persona.js';

/** Local hours the person probing works. */
const FROM_HOUR = 9;
const TO_HOUR = 19;
const TOOLS = ['PostmanRuntime/7.36.1', 'curl/8.5.0', 'insomnia/2023.5.8', 'python-requests/2.32.3'];

/**
 * A tenant's key used to probe other tenants' records (broken object-level authorisation):
 * from the attack on, on workdays 09:00-19:00 local, 10-40 requests an hour for
 * /v1/customers/{id} and /v1/orders/{id} with ids that are not the tenant's, walked in
 * sequence or drawn at random. Most come back 403 (another tenant's) or 404 (no such id); a
 * few (5-15 %) come back 200 from the unprotected objects it is looking for. From the
 * tenant's own network or a new one, with an API tool's agent. Its own integration goes on.
 */
class BolaProber implements Behaviour {
  private customer: number;
  private order: number;

  constructor(
    private readonly ctx: PersonaContext,
    private readonly rng: Rng,
    private readonly base: BusinessHours,
    private readonly client: Client,
    private readonly origin: Origin,
    private readonly sequential: boolean,
    private readonly perHour: number,
    private readonly leak: number,
    readonly startMs: number,
  ) {
    this.customer = rng.int(1, CUSTOMER_COUNT - 20_000);
    this.order = rng.int(1, ORDER_COUNT - 200_000);
  }

  day(day: number, out: SimRequest[]): void {
    this.base.day(day, out);
    if (!isWorkday(dayStart(this.ctx.window, day))) return;
    const rng = this.rng;
    const midnight = this.base.localMidnight(day);
    for (let h = FROM_HOUR; h < TO_HOUR; h++) {
      const hourStart = midnight + h * HOUR_MS;
      if (hourStart + HOUR_MS <= this.startMs) continue;
      if (this.startMs >= hourStart) out.push(this.probe(this.startMs));
      const n = rng.poisson(this.perHour);
      for (let i = 0; i < n; i++) {
        const t = hourStart + rng.uniform(0, HOUR_MS);
        if (t > this.startMs) out.push(this.probe(t));
      }
    }
  }

  private probe(t: number): SimRequest {
    const rng = this.rng;
    const customers = rng.chance(0.6);
    let id: number;
    do {
      id = this.sequential ? (customers ? this.customer++ : this.order++) : rng.int(1, customers ? CUSTOMER_COUNT : ORDER_COUNT);
    } while (this.base.owns(customers ? 'customer' : 'order', id));
    const call: ApiCall = customers ? api.customer(id) : api.order(id);
    if (!call.missing) call.forbidden = !rng.chance(this.leak);
    return this.client.send(call, t, this.origin, true);
  }
}

export function bolaProber(ctx: PersonaContext): Persona {
  const base = new BusinessHours(ctx);
  const rng = ctx.fork('attack');
  let day = ctx.window.attackDay;
  while (!isWorkday(dayStart(ctx.window, day))) day++;
  const start = Math.round(base.localMidnight(day) + rng.uniform(FROM_HOUR, 15) * HOUR_MS);
  const networks = rng.chance(0.5) ? [...base.origin.networks] : [ctx.pool.allocate(rng)];
  const origin = new Origin(networks, [rng.int(2, 250)], [rng.pick(TOOLS)], rng.int(80, 300));
  const sequential = rng.chance(0.5);
  const perHour = rng.uniform(10, 40);
  const leak = rng.uniform(0.05, 0.15);
  return {
    behaviour: new BolaProber(ctx, rng, base, new Client(ctx.apiKey, 0, rng), origin, sequential, perHour, leak, start),
    tzOffsetMin: base.tzOffsetMin,
    attackStartMs: start,
    attack: {
      description: `BOLA probing: other tenants' /v1/customers and /v1/orders ids (${sequential ? 'sequential' : 'random'}), ~${Math.round(perHour)} an hour in working hours, mostly 403/404`,
      routes: ['/v1/customers/{int}', '/v1/orders/{int}'],
      networks,
      userAgents: [...origin.userAgents],
    },
  };
}
