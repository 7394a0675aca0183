import { api, CUSTOMER_COUNT, ORDER_COUNT, PRODUCT_COUNT, type ApiCall } from '../api.js';
import { dayStart, isoDate, DAY_MS, MINUTE_MS, SECOND_MS } from '../calendar.js';
import { Client } from '../client.js';
import type { SimRequest } from '../event.js';
import { companyName, integrationOrigin } from '../identity.js';
import type { Origin } from '../origin.js';
import { workingSet } from './business-hours.js';
import type { Behaviour, Persona, PersonaContext } from './persona.js';

const PAGE_LIMIT = 100;

/**
 * A nightly export job: every night at a fixed UTC time (00:30-04:30, a few minutes of
 * jitter) it pages one list endpoint 1..N with limit=100 (N within ±5 % of its usual), then
 * reads the same few hundred to 1,400 objects in ascending id order, then fetches
 * yesterday's report. Odd next to day-time integrations, but the same every night.
 */
class NightlyBatch implements Behaviour {
  private readonly origin: Origin;
  private readonly client: Client;
  private readonly startOffsetMs: number;
  private readonly list: 'customers' | 'products';
  private readonly pages: number;
  private readonly kind: 'customer' | 'order';
  private readonly ids: number[];

  constructor(private readonly ctx: PersonaContext) {
    const rng = ctx.rng;
    this.origin = integrationOrigin(rng, ctx.pool, companyName(rng), rng.pick(['nightly-export', 'etl', 'warehouse-sync']));
    this.client = new Client(ctx.apiKey, rng.uniform(0.001, 0.006), rng, ctx.drift);
    this.startOffsetMs = rng.int(30, 270) * MINUTE_MS;
    this.list = rng.chance(0.6) ? 'customers' : 'products';
    const maxPages = Math.floor((this.list === 'customers' ? CUSTOMER_COUNT : PRODUCT_COUNT) / PAGE_LIMIT / 1.1);
    this.pages = Math.min(maxPages, rng.int(5, 60));
    this.kind = rng.chance(0.5) ? 'customer' : 'order';
    const ids = workingSet(rng, rng.int(200, 1400), this.kind === 'customer' ? CUSTOMER_COUNT : ORDER_COUNT, this.kind);
    this.ids = ids.sort((a, b) => a - b);
  }

  day(day: number, out: SimRequest[]): void {
    const rng = this.ctx.rng;
    const midnight = dayStart(this.ctx.window, day);
    let t = midnight + this.startOffsetMs + rng.int(-180, 180) * SECOND_MS;
    const send = (call: ApiCall): void => {
      const req = this.client.send(call, t, this.origin);
      out.push(req);
      t = req.endMs + rng.logNormal(120, 0.6);
    };
    const pages = Math.max(1, Math.round(this.pages * rng.uniform(0.95, 1.05)));
    for (let page = 1; page <= pages; page++) {
      send(this.list === 'customers' ? api.customers(page, PAGE_LIMIT) : api.products(page, PAGE_LIMIT));
    }
    for (const id of this.ids) send(this.kind === 'customer' ? api.customer(id) : api.order(id));
    send(api.dailyReport(isoDate(midnight - DAY_MS)));
  }
}

export function nightlyBatch(ctx: PersonaContext): Persona {
  return { behaviour: new NightlyBatch(ctx), tzOffsetMin: null, attackStartMs: null, attack: null };
}
