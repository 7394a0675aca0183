import { api, isDeleted, CUSTOMER_COUNT, ORDER_COUNT, type ApiCall } from '../api.js';
import { dayStart, isWorkday, HOUR_MS, MINUTE_MS } from '../calendar.js';
import { Client } from '../client.js';
import type { SimRequest } from '../event.js';
import { companyName } from '../identity.js';
import { Origin } from '../origin.js';
import type { Rng } from '../prng.js';
import { Zipf } from '../zipf.js';
import { uuid } from './business-hours.js';
import type { Behaviour, Persona, PersonaContext } from './persona.js';

const SLOT_MS = 10 * MINUTE_MS;
/** Multipliers coprime with 200,000 and 5,000,000: ranks map to ids without collisions. */
export const STRIDES = [7919, 104_729, 15_485_863, 32_452_843];

/**
 * The backend of a customer mobile app: requests around the clock following its users'
 * day (peak in the evening, trough before dawn, a bit more at weekends) from a stable set of
 * 8-12 egress networks; reads a broad but Zipf-skewed set of customers and orders.
 */
class MobileBackend implements Behaviour {
  private readonly origin: Origin;
  private readonly client: Client;
  readonly tzOffsetMin: number;
  private readonly perDay: number;
  private readonly customers = new Zipf(60_000, 1.05);
  private readonly orders = new Zipf(400_000, 1.0);
  private readonly customerMap: [number, number];
  private readonly orderMap: [number, number];

  constructor(private readonly ctx: PersonaContext) {
    const rng = ctx.rng;
    const company = companyName(rng);
    const networks = ctx.pool.allocateMany(rng, rng.int(8, 12));
    const hosts = Array.from({ length: 40 }, () => rng.int(2, 250));
    const agent = `${company}-app-backend/${rng.int(3, 9)}.${rng.int(0, 30)}.${rng.int(0, 9)} (node/20.11.1; undici/6.6.2)`;
    this.origin = new Origin(networks, hosts, [agent], rng.int(120, 260));
    this.client = new Client(ctx.apiKey, rng.uniform(0.01, 0.02), rng, ctx.drift);
    this.tzOffsetMin = rng.pick([-300, 0, 60, 120]);
    this.perDay = rng.int(1600, 2400);
    this.customerMap = [rng.pick(STRIDES), rng.int(0, CUSTOMER_COUNT - 1)];
    this.orderMap = [rng.pick(STRIDES), rng.int(0, ORDER_COUNT - 1)];
  }

  day(day: number, out: SimRequest[]): void {
    const rng = this.ctx.rng;
    const start = dayStart(this.ctx.window, day);
    const perSlot = (this.perDay * (isWorkday(start) ? 1 : 1.15)) / (24 * 6);
    for (let slot = 0; slot < 24 * 6; slot++) {
      const t0 = start + slot * SLOT_MS;
      const localHour = (((t0 + this.tzOffsetMin * MINUTE_MS) / HOUR_MS) % 24 + 24) % 24;
      const n = rng.poisson(perSlot * diurnal(localHour));
      for (let i = 0; i < n; i++) out.push(this.client.send(this.call(rng), t0 + rng.uniform(0, SLOT_MS), this.origin));
    }
  }

  private call(rng: Rng): ApiCall {
    const customer = (): number => mapRank(this.customers.rank(rng), this.customerMap, CUSTOMER_COUNT, 'customer');
    switch (rng.weighted([['customer', 35], ['orders', 20], ['order', 25], ['product', 10], ['products', 5], ['invoice', 5]] as const)) {
      case 'customer':
        return api.customer(customer());
      case 'orders':
        return api.ordersOfCustomer(customer(), rng.chance(0.85) ? 1 : rng.int(2, 3));
      case 'order':
        return api.order(mapRank(this.orders.rank(rng), this.orderMap, ORDER_COUNT, 'order'));
      case 'product':
        return api.product(`SKU-${10000 + ((rng.int(1, 3000) * 7919) % 90000)}`);
      case 'products':
        return api.products(rng.int(1, 3), 20);
      case 'invoice':
        return api.invoice(uuid(rng));
    }
  }
}

/** Mean 1 over the day: 0.25 at 08:00 local, 1.75 at 20:00. */
function diurnal(localHour: number): number {
  return 0.25 + 1.5 * ((1 + Math.cos((2 * Math.PI * (localHour - 20)) / 24)) / 2);
}

/** Popularity rank → id, scattered over the id space; deleted ids are skipped. */
export function mapRank(rank: number, [stride, offset]: [number, number], max: number, kind: 'customer' | 'order'): number {
  let id = 1 + ((rank * stride + offset) % max);
  while (isDeleted(kind, id)) id = (id % max) + 1;
  return id;
}

export function mobileBackend(ctx: PersonaContext): Persona {
  const behaviour = new MobileBackend(ctx);
  return { behaviour, tzOffsetMin: behaviour.tzOffsetMin, attackStartMs: null, attack: null };
}
