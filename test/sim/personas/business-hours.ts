import { api, isDeleted, ACCOUNT_COUNT, CUSTOMER_COUNT, ORDER_COUNT, type ApiCall } from '../api.js';
import { dayStart, isoDate, isWorkday, DAY_MS, HOUR_MS, MINUTE_MS } from '../calendar.js';
import { Client } from '../client.js';
import type { SimRequest } from '../event.js';
import { companyName, integrationOrigin } from '../identity.js';
import type { Origin } from '../origin.js';
import type { Rng } from '../prng.js';
import { Zipf } from '../zipf.js';
import type { Behaviour, Persona, PersonaContext } from './persona.js';

export type Template = 'crm-sync' | 'order-sync' | 'catalog-sync' | 'billing';
type Action = 'customer' | 'orders-of-customer' | 'order' | 'invoice' | 'create-order' | 'product' | 'report' | 'account';
/** With SimOptions.accounts, CRM and billing integrations also read their own business accounts. */
const ACCOUNT_WEIGHT: Partial<Record<Template, number>> = { 'crm-sync': 1, billing: 1.5 };

/** What each kind of integration reads: an optional list it pages, then weighted actions. */
const TEMPLATES: Record<Template, { list: 'customers' | 'products' | null; actions: ReadonlyArray<readonly [Action, number]> }> = {
  'crm-sync': { list: 'customers', actions: [['customer', 6], ['orders-of-customer', 2]] },
  'order-sync': { list: null, actions: [['order', 6], ['invoice', 2], ['create-order', 1], ['orders-of-customer', 2]] },
  'catalog-sync': { list: 'products', actions: [['product', 6], ['report', 0.15]] },
  billing: { list: null, actions: [['invoice', 5], ['order', 3], ['customer', 2], ['report', 0.2]] },
};
/**
 * Time zone offsets of the partners, minutes east of UTC. Capped at +8 h so that a local
 * working day (08:00-18:00) never starts before the UTC midnight of the same date, which
 * the Behaviour contract needs.
 */
export const TZ_OFFSETS_MIN = [-480, -420, -360, -300, -240, -180, 0, 60, 120, 180, 330, 480];
/** Relative activity per local hour 08..17 (a dip at lunch). */
const WORK_HOURS: ReadonlyArray<readonly [number, number]> = [
  [8, 0.6], [9, 1], [10, 1], [11, 1], [12, 0.6], [13, 0.8], [14, 1], [15, 1], [16, 0.9], [17, 0.6],
];

/**
 * A partner integration working Monday to Friday, 08:00-18:00 in its own time zone: 20-400
 * requests a day in short sessions that page a list (pages 1-5) and re-read a working set
 * of 50-300 objects with Zipf-like popularity.
 */
export class BusinessHours implements Behaviour {
  readonly origin: Origin;
  readonly client: Client;
  readonly tzOffsetMin: number;
  readonly template: Template;
  /** Multiplies the daily volume (a new integration ramping up). */
  scale = 1;
  private readonly dailyVolume: number;
  private readonly sessionSize: number;
  private readonly maxPage: number;
  private readonly limit: number;
  private readonly customers: number[];
  private readonly orders: number[];
  private readonly invoices: string[];
  private readonly products: string[];
  private readonly popularity: Zipf;
  private readonly accounts: number[];
  private readonly accountPopularity: Zipf;
  private readonly actions: ReadonlyArray<readonly [Action, number]>;

  /**
   * @param template what it reads; random when absent
   * @param volume range of its usual requests per workday (log-uniform)
   */
  constructor(
    private readonly ctx: PersonaContext,
    template?: Template,
    volume: readonly [number, number] = [20, 400],
  ) {
    const rng = ctx.rng;
    this.template = template ?? rng.pick(Object.keys(TEMPLATES) as Template[]);
    this.origin = integrationOrigin(rng, ctx.pool, companyName(rng));
    this.client = new Client(ctx.apiKey, rng.uniform(0.005, 0.025), rng, ctx.drift);
    this.tzOffsetMin = rng.pick(TZ_OFFSETS_MIN);
    this.dailyVolume = rng.logUniform(volume[0], volume[1]);
    this.sessionSize = rng.uniform(4, 14);
    this.maxPage = rng.int(1, 5);
    this.limit = rng.pick([20, 25, 50]);
    const size = rng.int(50, 300);
    this.customers = workingSet(rng, size, CUSTOMER_COUNT, 'customer');
    this.orders = workingSet(rng, size, ORDER_COUNT, 'order');
    this.invoices = Array.from({ length: Math.ceil(size / 2) }, () => uuid(rng));
    this.products = Array.from({ length: size }, () => `SKU-${rng.int(10000, 99999)}`);
    this.popularity = new Zipf(size, rng.uniform(0.9, 1.3));
    // Drawn last and only when the API has accounts, so runs without them stay as they were.
    const accountWeight = ctx.accounts ? ACCOUNT_WEIGHT[this.template] : undefined;
    this.accounts = accountWeight === undefined ? [] : accountSet(rng, rng.int(5, 40));
    this.accountPopularity = new Zipf(Math.max(1, this.accounts.length), 1.1);
    this.actions = accountWeight === undefined ? TEMPLATES[this.template].actions : [...TEMPLATES[this.template].actions, ['account', accountWeight]];
  }

  /** Whether the id is one of this tenant's own records (in its working set). */
  owns(kind: 'customer' | 'order', id: number): boolean {
    return (kind === 'customer' ? this.customers : this.orders).includes(id);
  }

  /** UTC instant of local midnight of the calendar date of day `d`. */
  localMidnight(day: number): number {
    return dayStart(this.ctx.window, day) - this.tzOffsetMin * MINUTE_MS;
  }

  day(day: number, out: SimRequest[]): void {
    if (!isWorkday(dayStart(this.ctx.window, day))) return;
    const rng = this.ctx.rng;
    const volume = this.dailyVolume * this.scale * rng.logNormal(1, 0.2);
    const listShare = TEMPLATES[this.template].list ? 0.6 * ((1 + this.maxPage) / 2) : 0;
    const sessions = Math.max(1, Math.round(volume / (this.sessionSize + listShare)));
    const midnight = this.localMidnight(day);
    for (let i = 0; i < sessions; i++) {
      const start = midnight + rng.weighted(WORK_HOURS) * HOUR_MS + rng.uniform(0, HOUR_MS);
      this.session(start, midnight, out);
    }
  }

  private session(startMs: number, midnight: number, out: SimRequest[]): void {
    const rng = this.ctx.rng;
    const tpl = TEMPLATES[this.template];
    const calls: ApiCall[] = [];
    if (tpl.list && rng.chance(0.6)) {
      const pages = rng.int(1, this.maxPage);
      for (let page = 1; page <= pages; page++) {
        calls.push(tpl.list === 'customers' ? api.customers(page, this.limit) : api.products(page, this.limit));
      }
    }
    const n = Math.max(1, Math.round(rng.logNormal(this.sessionSize, 0.5)));
    for (let i = 0; i < n; i++) calls.push(this.action(rng.weighted(this.actions), midnight));
    let t = startMs;
    for (const call of calls) {
      const req = this.client.send(call, t, this.origin);
      out.push(req);
      t = req.endMs + rng.logNormal(350, 0.9);
    }
  }

  private action(action: Action, midnight: number): ApiCall {
    const rng = this.ctx.rng;
    switch (action) {
      case 'customer':
        return api.customer(this.popularity.pick(rng, this.customers));
      case 'orders-of-customer':
        return api.ordersOfCustomer(this.popularity.pick(rng, this.customers), rng.chance(0.8) ? 1 : 2);
      case 'order':
        return api.order(this.popularity.pick(rng, this.orders));
      case 'invoice':
        return api.invoice(this.popularity.pick(rng, this.invoices));
      case 'create-order':
        return api.createOrder(Math.round(rng.logNormal(900, 0.4)));
      case 'product':
        return api.product(this.popularity.pick(rng, this.products));
      case 'report':
        return api.dailyReport(isoDate(midnight - DAY_MS + this.tzOffsetMin * MINUTE_MS));
      case 'account':
        return api.account(this.accountPopularity.pick(rng, this.accounts));
    }
  }
}

/** `size` distinct account ids from 1..ACCOUNT_COUNT. */
export function accountSet(rng: Rng, size: number): number[] {
  const ids = new Set<number>();
  while (ids.size < size) ids.add(rng.int(1, ACCOUNT_COUNT));
  return [...ids];
}

/** `size` distinct existing ids from 1..max, in random (popularity) order. */
export function workingSet(rng: Rng, size: number, max: number, kind: 'customer' | 'order'): number[] {
  const ids = new Set<number>();
  while (ids.size < size) {
    const id = rng.int(1, max);
    if (!isDeleted(kind, id)) ids.add(id);
  }
  return [...ids];
}

export function uuid(rng: Rng): string {
  const h = rng.hex(32);
  const variant = '89ab'[rng.int(0, 3)] ?? '8';
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function businessHours(ctx: PersonaContext): Persona {
  const behaviour = new BusinessHours(ctx);
  return { behaviour, tzOffsetMin: behaviour.tzOffsetMin, attackStartMs: null, attack: null };
}
