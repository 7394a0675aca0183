import { api, CUSTOMER_COUNT, type ApiCall } from '../api.js';
import { dayStart, DAY_MS, MINUTE_MS, SECOND_MS } from '../calendar.js';
import { Client } from '../client.js';
import type { SimRequest } from '../event.js';
import { STRAY_AGENTS } from '../identity.js';
import type { NetworkPool } from '../network-pool.js';
import { Origin } from '../origin.js';
import type { Rng } from '../prng.js';
import type { Behaviour } from './persona.js';
import type { SimWindow } from '../calendar.js';

const PROBE_EVERY_MS = 5 * MINUTE_MS;

/**
 * Requests without a key: the load balancer's /healthz probe every 5 minutes from two
 * internal addresses, and a few unauthenticated calls a day (answered 401) from random
 * networks.
 */
export class Keyless implements Behaviour {
  private readonly probe = new Origin(['10.12.0', '10.12.1'], [7], ['ELB-HealthChecker/2.0'], 0);
  private readonly client: Client;

  constructor(
    private readonly rng: Rng,
    private readonly pool: NetworkPool,
    private readonly window: SimWindow,
  ) {
    this.client = new Client('', 0, rng);
  }

  day(day: number, out: SimRequest[]): void {
    const rng = this.rng;
    const start = dayStart(this.window, day);
    for (let t = start; t < start + DAY_MS; t += PROBE_EVERY_MS) {
      out.push(this.client.send(api.healthz(), t + rng.int(0, 3 * SECOND_MS), this.probe));
    }
    const strays = rng.poisson(6);
    for (let i = 0; i < strays; i++) {
      const origin = new Origin([this.pool.allocate(rng)], [rng.int(2, 250)], [rng.pick(STRAY_AGENTS)], rng.int(20, 200));
      out.push(this.client.send(this.call(), start + rng.uniform(0, DAY_MS), origin));
    }
  }

  private call(): ApiCall {
    const rng = this.rng;
    return rng.chance(0.5) ? api.customers(1, 20) : api.customer(rng.int(1, CUSTOMER_COUNT));
  }
}
