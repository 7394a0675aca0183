import { api, ORDER_COUNT } from '../api.js';
import { dayStart, DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from '../calendar.js';
import { Client } from '../client.js';
import type { SimRequest } from '../event.js';
import { companyName, integrationOrigin } from '../identity.js';
import type { Origin } from '../origin.js';
import { Zipf } from '../zipf.js';
import { TZ_OFFSETS_MIN, workingSet } from './business-hours.js';
import type { Behaviour, Persona, PersonaContext } from './persona.js';

const INTERVALS_MIN: ReadonlyArray<readonly [number, number]> = [[1, 0.5], [2, 1], [5, 3], [10, 3], [15, 3]];

/**
 * A server-to-server integration that polls for changes on a fixed schedule, around the clock:
 * every 1, 2, 5, 10 or 15 minutes (a second or two of jitter) it asks for
 * /v1/orders?updated_since=<last poll>, then reads the orders that changed, which are mostly
 * its own few thousand, more of them during its customers' day.
 */
class Poller implements Behaviour {
  private readonly origin: Origin;
  private readonly client: Client;
  private readonly everyMs: number;
  private readonly offsetMs: number;
  readonly tzOffsetMin: number;
  /** Orders changed per poll at the busiest hour. */
  private readonly changeRate: number;
  private readonly orders: number[];
  private readonly popularity: Zipf;

  constructor(private readonly ctx: PersonaContext) {
    const rng = ctx.rng;
    this.origin = integrationOrigin(rng, ctx.pool, companyName(rng), rng.pick(['order-poller', 'webhook-relay', 'sync']));
    this.client = new Client(ctx.apiKey, rng.uniform(0.001, 0.008), rng, ctx.drift);
    this.everyMs = rng.weighted(INTERVALS_MIN) * MINUTE_MS;
    this.offsetMs = rng.int(0, this.everyMs - 1);
    this.tzOffsetMin = rng.pick(TZ_OFFSETS_MIN);
    this.changeRate = rng.uniform(0.05, 0.6) * (this.everyMs / MINUTE_MS) ** 0.5;
    this.orders = workingSet(rng, rng.int(500, 4000), ORDER_COUNT, 'order');
    this.popularity = new Zipf(this.orders.length, 0.8);
  }

  day(day: number, out: SimRequest[]): void {
    const rng = this.ctx.rng;
    const start = dayStart(this.ctx.window, day);
    for (let tick = start + this.offsetMs; tick < start + DAY_MS; tick += this.everyMs) {
      const localHour = (((tick + this.tzOffsetMin * MINUTE_MS) / HOUR_MS) % 24 + 24) % 24;
      const daytime = localHour >= 7 && localHour < 20 ? 1 : 0.15;
      const changed = rng.poisson(this.changeRate * daytime);
      let t = tick + rng.int(0, 2 * SECOND_MS);
      const poll = this.client.send(api.changedOrders(new Date(tick - this.everyMs).toISOString().slice(0, 19) + 'Z', changed), t, this.origin);
      out.push(poll);
      t = poll.endMs;
      for (let i = 0; i < changed; i++) {
        const req = this.client.send(api.order(this.popularity.pick(rng, this.orders)), t + rng.int(5, 80), this.origin);
        out.push(req);
        t = req.endMs;
      }
    }
  }
}

export function poller(ctx: PersonaContext): Persona {
  const behaviour = new Poller(ctx);
  return { behaviour, tzOffsetMin: behaviour.tzOffsetMin, attackStartMs: null, attack: null };
}
