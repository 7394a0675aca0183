import { api, CUSTOMER_COUNT, ORDER_COUNT, PRODUCT_COUNT, type ApiCall } from '../api.js';
import { dayStart, isWorkday, HOUR_MS, SECOND_MS } from '../calendar.js';
import { Client } from '../client.js';
import type { SimRequest } from '../event.js';
import { Origin } from '../origin.js';
import type { Rng } from '../prng.js';
import { BusinessHours, uuid } from './business-hours.js';
import type { Behaviour, Persona, PersonaContext } from './persona.js';

const DEV_AGENTS = ['PostmanRuntime/7.36.1', 'curl/8.5.0', 'insomnia/2023.5.8', 'python-requests/2.31.0'];
const SYNC_LIMIT = 100;
/** Days over which a new integration ramps up to its full volume. */
const RAMP_DAYS = 7;

/**
 * An honest key issued mid-period (the counterpart of a scraper's new key). On its first day
 * a developer tries the API with curl or Postman from an office or home network: 10-60 calls
 * to every kind of route over a few hours, some refused. From the next workday on its
 * integration runs on its servers as a business-hours key, ramping up over its first week;
 * 40 % of them start with a one-off initial sync of the whole product catalogue
 * (/v1/products, limit=100, page 1 to the last).
 */
class Onboarding implements Behaviour {
  private liveDay = -1;

  constructor(
    private readonly ctx: PersonaContext,
    private readonly rng: Rng,
    private readonly base: BusinessHours,
    private readonly dev: { client: Client; origin: Origin; calls: number },
    readonly firstDay: number,
    private readonly initialSync: boolean,
  ) {}

  day(day: number, out: SimRequest[]): void {
    if (day < this.firstDay) return;
    if (day === this.firstDay) {
      this.tryOut(day, out);
      return;
    }
    if (this.liveDay < 0) {
      if (!isWorkday(dayStart(this.ctx.window, day))) return;
      this.liveDay = day;
      if (this.initialSync) this.sync(day, out);
    }
    this.base.scale = Math.min(1, 0.25 + (0.75 * (day - this.liveDay)) / RAMP_DAYS);
    this.base.day(day, out);
  }

  /** The developer's first calls, 10:00-16:00 local, in bursts with reading in between. */
  private tryOut(day: number, out: SimRequest[]): void {
    const rng = this.rng;
    let t = this.base.localMidnight(day) + rng.uniform(10, 13) * HOUR_MS;
    for (let i = 0; i < this.dev.calls; i++) {
      const req = this.dev.client.send(this.explore(rng), t, this.dev.origin);
      out.push(req);
      t = req.endMs + (rng.chance(0.2) ? rng.uniform(120, 1200) : rng.uniform(5, 60)) * SECOND_MS;
    }
  }

  private explore(rng: Rng): ApiCall {
    switch (rng.int(0, 6)) {
      case 0:
        return api.customers(rng.int(1, 2), rng.pick([10, 20, 50]));
      case 1:
        return api.customer(rng.int(1, CUSTOMER_COUNT));
      case 2:
        return api.order(rng.int(1, ORDER_COUNT));
      case 3:
        return api.ordersOfCustomer(rng.int(1, CUSTOMER_COUNT), 1);
      case 4:
        return api.products(1, 20);
      case 5:
        return api.invoice(uuid(rng));
      default:
        return api.createOrder(Math.round(rng.logNormal(700, 0.5)));
    }
  }

  /** The catalogue, page after page, at go-live in the morning. */
  private sync(day: number, out: SimRequest[]): void {
    const rng = this.rng;
    let t = this.base.localMidnight(day) + rng.uniform(9, 11) * HOUR_MS;
    const pages = Math.ceil(PRODUCT_COUNT / SYNC_LIMIT);
    for (let page = 1; page <= pages; page++) {
      const req = this.base.client.send(api.products(page, SYNC_LIMIT), t, this.base.origin);
      out.push(req);
      t = req.endMs + rng.uniform(0.3, 2) * SECOND_MS;
    }
  }
}

export function onboarding(ctx: PersonaContext): Persona {
  const base = new BusinessHours(ctx);
  const rng = ctx.fork('onboarding');
  const days = ctx.window.days;
  const firstDay = days < 3 ? days - 1 : rng.int(1, Math.max(1, days - 3));
  const origin = new Origin([ctx.pool.allocate(rng)], [rng.int(2, 250)], [rng.pick(DEV_AGENTS)], rng.int(60, 400));
  const dev = { client: new Client(ctx.apiKey, 0.12, rng, ctx.drift), origin, calls: rng.int(10, 60) };
  return { behaviour: new Onboarding(ctx, rng, base, dev, firstDay, rng.chance(0.4)), tzOffsetMin: base.tzOffsetMin, attackStartMs: null, attack: null };
}
