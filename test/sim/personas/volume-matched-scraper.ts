import { api } from '../api.js';
import { dayStart, isWorkday, HOUR_MS } from '../calendar.js';
import { Client } from '../client.js';
import type { SimRequest } from '../event.js';
import type { Rng } from '../prng.js';
import { BusinessHours } from './business-hours.js';
import type { Behaviour, Persona, PersonaContext } from './persona.js';

/** Detail routes the scraper walks, by the victim's kind of integration. */
const WALKS = {
  'crm-sync': { route: '/v1/customers/{int}', call: api.customer, first: [1, 150_000] },
  'order-sync': { route: '/v1/orders/{int}', call: api.order, first: [1, 4_500_000] },
} as const;
type Walked = keyof typeof WALKS;

/**
 * A business-hours integration whose own host is compromised: from the attack on, part
 * (40-70 %) of its detail reads of the walked route go to the next id in sequence instead of
 * its working set, from its usual network and agent, in its usual sessions. Volume, hours,
 * network, agent and route mix stay exactly the key's own; only which objects it reads
 * changes. The attack begins with one extra read at `startMs`, in working hours.
 */
class VolumeMatchedScraper implements Behaviour {
  private id: number;

  constructor(
    private readonly ctx: PersonaContext,
    private readonly rng: Rng,
    private readonly base: BusinessHours,
    private readonly walk: (typeof WALKS)[Walked],
    private readonly share: number,
    private readonly client: Client,
    readonly startMs: number,
    first: number,
  ) {
    this.id = first;
  }

  day(day: number, out: SimRequest[]): void {
    const from = out.length;
    this.base.day(day, out);
    if (dayStart(this.ctx.window, day + 1) <= this.startMs) return;
    const start = this.startMs;
    if (start >= dayStart(this.ctx.window, day)) out.push(this.read(start));
    // Sessions come out of order; the walk goes forward in time.
    const eligible: number[] = [];
    for (let i = from; i < out.length; i++) {
      const req = out[i] as SimRequest;
      if (!req.abusive && req.startMs > start && isRoute(req.uri, this.walk.route)) eligible.push(i);
    }
    eligible.sort((a, b) => (out[a] as SimRequest).startMs - (out[b] as SimRequest).startMs);
    for (const i of eligible) {
      if (this.rng.chance(this.share)) out[i] = this.read((out[i] as SimRequest).startMs);
    }
  }

  private read(startMs: number): SimRequest {
    return this.client.send(this.walk.call(this.id++), startMs, this.base.origin, true);
  }
}

/** `/v1/customers/123` (or its /v2 twin after drift) against `/v1/customers/{int}`. */
function isRoute(uri: string, route: string): boolean {
  const prefix = route.slice(3, route.lastIndexOf('/') + 1);
  return uri.startsWith(prefix, 3) && /^\/v\d\//.test(uri) && /^\d+$/.test(uri.slice(3 + prefix.length));
}

/** First workday on or after `day`. */
function firstWorkday(ctx: PersonaContext, day: number): number {
  let d = day;
  while (!isWorkday(dayStart(ctx.window, d))) d++;
  return d;
}

export function volumeMatchedScraper(ctx: PersonaContext): Persona {
  const rng = ctx.fork('attack');
  const template: Walked = rng.chance(0.5) ? 'crm-sync' : 'order-sync';
  // A busy integration: a compromised host that reads a handful of records a day is not worth scraping from.
  const base = new BusinessHours(ctx, template, [120, 400]);
  const walk = WALKS[template];
  const start = Math.round(base.localMidnight(firstWorkday(ctx, ctx.window.attackDay)) + rng.uniform(9, 16) * HOUR_MS);
  const share = rng.uniform(0.4, 0.7);
  // The compromised integration sends the reads itself, so they drift (/v2, new agent) with it.
  const client = new Client(ctx.apiKey, 0.002, rng, ctx.drift);
  const first = rng.int(walk.first[0], walk.first[1]);
  return {
    behaviour: new VolumeMatchedScraper(ctx, rng, base, walk, share, client, start, first),
    tzOffsetMin: base.tzOffsetMin,
    attackStartMs: start,
    attack: {
      description: `compromised host: ${Math.round(share * 100)} % of its ${walk.route} reads walk ids sequentially instead of its working set; same volume, hours, network and agent`,
      routes: [walk.route],
      networks: [...base.origin.networks],
      userAgents: [...base.origin.userAgents],
    },
  };
}
