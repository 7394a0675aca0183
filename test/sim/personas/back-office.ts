import { api, ACCOUNT_COUNT, CUSTOMER_COUNT, ORDER_COUNT, type ApiCall } from '../api.js';
import { dayStart, isoDate, isWorkday, DAY_MS, HOUR_MS, MINUTE_MS } from '../calendar.js';
import { Client } from '../client.js';
import type { SimRequest } from '../event.js';
import { Origin } from '../origin.js';
import { Zipf } from '../zipf.js';
import { TZ_OFFSETS_MIN, uuid, workingSet } from './business-hours.js';
import type { Behaviour, Persona, PersonaContext } from './persona.js';

/** Browsers of the staff; one each. */
const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
];
/** Surnames staff search for; a few carry an apostrophe, a hyphen or an umlaut, as real names do. */
const SURNAMES = [
  'smith', 'garcia', 'nguyen', 'muller', 'rossi', 'kowalski', 'johansson', 'silva', 'tanaka', 'dubois', 'schmidt',
  'patel', 'kim', 'novak', 'jensen', 'martin', 'lopez', 'brown', 'wilson', 'fischer', 'weber', 'moreau', 'costa',
  "O'Brien", "D'Angelo", 'Smith-Jones', 'Müller',
];
/** Relative activity per local hour 09..17 (lunch dip at 12-13). */
const OFFICE_HOURS: ReadonlyArray<readonly [number, number]> = [
  [9, 0.8], [10, 1], [11, 1], [12, 0.5], [13, 0.7], [14, 1], [15, 1], [16, 0.9], [17, 0.4],
];
const MAX_CASES = 400;

interface Person {
  office: Origin;
  home: Origin | null;
  viewsPerDay: number;
}

type View = 'case' | 'search' | 'order' | 'invoice' | 'report';

/**
 * A company's back-office staff (support, finance) using the API through an internal web
 * tool: Monday to Friday 09:00-17:30 local, 2-8 people each with their own browser, from the
 * office network and, on some days, from home. Page views of 1-4 calls with human pauses:
 * open a case (customer, its orders), search customers by name, look at an order or an
 * invoice. The cases are the team's own records, revisited for days; a few new ones every day.
 */
export class BackOffice implements Behaviour {
  readonly tzOffsetMin: number;
  readonly client: Client;
  readonly people: Person[];
  private readonly cases: number[];
  private readonly orders: number[];
  private readonly recency = new Zipf(MAX_CASES, 1.1);

  constructor(private readonly ctx: PersonaContext) {
    const rng = ctx.rng;
    this.tzOffsetMin = rng.pick(TZ_OFFSETS_MIN);
    this.client = new Client(ctx.apiKey, rng.uniform(0.005, 0.02), rng, ctx.drift);
    const offices = ctx.pool.allocateMany(rng, rng.chance(0.3) ? 2 : 1);
    const headerBytes = rng.int(300, 700);
    this.people = Array.from({ length: rng.int(2, 8) }, () => {
      const agent = rng.pick(BROWSERS);
      const office = new Origin([rng.pick(offices)], [rng.int(10, 250)], [agent], headerBytes);
      const home = rng.chance(0.4) ? new Origin([ctx.pool.allocate(rng)], [rng.int(2, 250)], [agent], headerBytes) : null;
      return { office, home, viewsPerDay: rng.uniform(15, 90) };
    });
    this.cases = workingSet(rng, rng.int(30, 150), CUSTOMER_COUNT, 'customer');
    this.orders = workingSet(rng, rng.int(50, 300), ORDER_COUNT, 'order');
  }

  /** UTC instant of local midnight of the calendar date of day `d`. */
  localMidnight(day: number): number {
    return dayStart(this.ctx.window, day) - this.tzOffsetMin * MINUTE_MS;
  }

  day(day: number, out: SimRequest[]): void {
    if (!isWorkday(dayStart(this.ctx.window, day))) return;
    const rng = this.ctx.rng;
    const midnight = this.localMidnight(day);
    // New cases come in every morning and are the hot ones.
    const fresh = workingSet(rng, rng.int(2, 10), CUSTOMER_COUNT, 'customer');
    this.cases.unshift(...fresh);
    this.cases.length = Math.min(this.cases.length, MAX_CASES);
    for (const person of this.people) {
      if (rng.chance(0.08)) continue; // out of office
      const origin = person.home && rng.chance(0.25) ? person.home : person.office;
      const views = rng.poisson(person.viewsPerDay);
      for (let i = 0; i < views; i++) {
        const t = midnight + rng.weighted(OFFICE_HOURS) * HOUR_MS + rng.uniform(0, HOUR_MS);
        this.view(rng.weighted(VIEWS), t, midnight, origin, out);
      }
    }
  }

  private view(view: View, startMs: number, midnight: number, origin: Origin, out: SimRequest[]): void {
    const rng = this.ctx.rng;
    const calls: ApiCall[] = [];
    const kase = (): number => this.recency.pick(rng, this.cases);
    switch (view) {
      case 'case': {
        const customer = kase();
        calls.push(api.customer(customer), api.ordersOfCustomer(customer, 1));
        if (rng.chance(0.4)) calls.push(api.order(rng.pick(this.orders)));
        // The case's business account, where the API has accounts (drawn after the rest, so runs without stay as they were).
        if (this.ctx.accounts && rng.chance(0.3)) calls.push(api.account(1 + ((customer * 7919) % ACCOUNT_COUNT)));
        break;
      }
      case 'search':
        calls.push(api.searchCustomers(rng.pick(SURNAMES), 20));
        if (rng.chance(0.7)) calls.push(api.customer(rng.chance(0.5) ? kase() : rng.int(1, CUSTOMER_COUNT)));
        break;
      case 'order':
        calls.push(api.order(rng.pick(this.orders)));
        break;
      case 'invoice':
        calls.push(api.invoice(uuid(rng)));
        break;
      case 'report':
        calls.push(api.dailyReport(isoDate(midnight - DAY_MS + this.tzOffsetMin * MINUTE_MS)));
        break;
    }
    let t = startMs;
    for (const call of calls) {
      const req = this.client.send(call, t, origin);
      out.push(req);
      t = req.endMs + rng.logNormal(120, 0.6);
    }
  }
}

const VIEWS: ReadonlyArray<readonly [View, number]> = [['case', 5], ['search', 2], ['order', 3], ['invoice', 1], ['report', 0.2]];

export function backOffice(ctx: PersonaContext): Persona {
  const behaviour = new BackOffice(ctx);
  return { behaviour, tzOffsetMin: behaviour.tzOffsetMin, attackStartMs: null, attack: null };
}

