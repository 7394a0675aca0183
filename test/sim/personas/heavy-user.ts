import { api, ACCOUNT_COUNT, CUSTOMER_COUNT, ORDER_COUNT, type ApiCall } from '../api.js';
import { dayStart, isWorkday, HOUR_MS, MINUTE_MS } from '../calendar.js';
import { Client } from '../client.js';
import type { SimRequest } from '../event.js';
import { companyName, integrationAgent } from '../identity.js';
import { Origin } from '../origin.js';
import type { Rng } from '../prng.js';
import { Zipf } from '../zipf.js';
import { TZ_OFFSETS_MIN, uuid } from './business-hours.js';
import { mapRank, STRIDES } from './mobile-backend.js';
import type { Behaviour, Persona, PersonaContext } from './persona.js';

const SLOT_MS = 10 * MINUTE_MS;
/** Relative activity per local hour, mean 1: background jobs at night, a broad day-time peak. */
const HOURLY = normalise(Array.from({ length: 24 }, (_v, h) => 0.3 + 1.4 * Math.exp(-(((h - 13) / 4) ** 2))));

/**
 * A large partner platform: 2,500-9,000 requests on a workday (a third of that at weekends)
 * from an autoscaled fleet (3-6 networks, dozens of hosts), around the clock but following its
 * own customers' day. Reads a large Zipf-skewed set of customers and orders, pages the product
 * catalogue up to page 20 with limit=100, creates orders. Sets the bar any per-key rate limit
 * has to clear.
 */
class HeavyUser implements Behaviour {
  private readonly origin: Origin;
  private readonly client: Client;
  readonly tzOffsetMin: number;
  private readonly perDay: number;
  private readonly customers = new Zipf(20_000, 1.0);
  /** Its own business customers' accounts, where the API has accounts. */
  private readonly accounts = new Zipf(600, 1.0);
  private readonly orders = new Zipf(100_000, 0.95);
  private readonly customerMap: [number, number];
  private readonly orderMap: [number, number];
  private readonly catalogPages: number;

  constructor(private readonly ctx: PersonaContext) {
    const rng = ctx.rng;
    const networks = ctx.pool.allocateMany(rng, rng.int(3, 6));
    const hosts = Array.from({ length: 30 }, () => rng.int(2, 250));
    this.origin = new Origin(networks, hosts, [integrationAgent(rng, companyName(rng), 'platform')], rng.int(120, 300));
    this.client = new Client(ctx.apiKey, rng.uniform(0.003, 0.012), rng, ctx.drift);
    this.tzOffsetMin = rng.pick(TZ_OFFSETS_MIN);
    this.perDay = rng.logUniform(2500, 9000);
    this.customerMap = [rng.pick(STRIDES), rng.int(0, CUSTOMER_COUNT - 1)];
    this.orderMap = [rng.pick(STRIDES), rng.int(0, ORDER_COUNT - 1)];
    this.catalogPages = rng.int(8, 20);
  }

  day(day: number, out: SimRequest[]): void {
    const rng = this.ctx.rng;
    const start = dayStart(this.ctx.window, day);
    const perSlot = (this.perDay * (isWorkday(start) ? 1 : 0.35) * rng.logNormal(1, 0.1)) / (24 * 6);
    for (let slot = 0; slot < 24 * 6; slot++) {
      const t0 = start + slot * SLOT_MS;
      const localHour = Math.floor((((t0 + this.tzOffsetMin * MINUTE_MS) / HOUR_MS) % 24 + 24) % 24);
      const n = rng.poisson(perSlot * (HOURLY[localHour] ?? 1));
      for (let i = 0; i < n; i++) out.push(this.client.send(this.call(rng), t0 + rng.uniform(0, SLOT_MS), this.origin));
    }
  }

  private call(rng: Rng): ApiCall {
    const customer = (): number => mapRank(this.customers.rank(rng), this.customerMap, CUSTOMER_COUNT, 'customer');
    if (this.ctx.accounts && rng.chance(0.03)) return api.account(1 + ((this.accounts.rank(rng) * 7919 + this.customerMap[1]) % ACCOUNT_COUNT));
    switch (rng.weighted([['customer', 30], ['orders', 15], ['order', 30], ['create', 5], ['products', 5], ['product', 10], ['invoice', 5]] as const)) {
      case 'customer':
        return api.customer(customer());
      case 'orders':
        return api.ordersOfCustomer(customer(), rng.chance(0.8) ? 1 : rng.int(2, 3));
      case 'order':
        return api.order(mapRank(this.orders.rank(rng), this.orderMap, ORDER_COUNT, 'order'));
      case 'create':
        return api.createOrder(Math.round(rng.logNormal(1100, 0.4)));
      case 'products':
        return api.products(rng.int(1, this.catalogPages), 100);
      case 'product':
        return api.product(`SKU-${10000 + ((rng.int(1, 8000) * 7919) % 90000)}`);
      case 'invoice':
        return api.invoice(uuid(rng));
    }
  }
}

function normalise(weights: number[]): number[] {
  const mean = weights.reduce((a, b) => a + b, 0) / weights.length;
  return weights.map((w) => w / mean);
}

export function heavyUser(ctx: PersonaContext): Persona {
  const behaviour = new HeavyUser(ctx);
  return { behaviour, tzOffsetMin: behaviour.tzOffsetMin, attackStartMs: null, attack: null };
}
