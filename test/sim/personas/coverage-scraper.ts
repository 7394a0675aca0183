import { ACCOUNT_COUNT, api } from '../api.js';
import { dayStart, isWorkday, HOUR_MS } from '../calendar.js';
import type { SimRequest } from '../event.js';
import type { Rng } from '../prng.js';
import { BusinessHours } from './business-hours.js';
import type { Behaviour, Persona, PersonaContext } from './persona.js';

/** A multiplier coprime with 20,000: k → 1 + (k · STRIDE + offset) mod 20,000 visits every account once, in no visible order. */
const STRIDE = 7919;

/**
 * A CRM or billing integration whose host is compromised, read so slowly that no day stands out:
 * from the attack on, 180-220 of its detail reads each working day go to accounts it never read,
 * each account once, in scattered order (no id walk), instead of its own records; its volume,
 * hours, network, agent and routes stay its own. About 200 new accounts a day: after a month a
 * fifth of the 20,000, while any one day looks like a busy day. Needs SimOptions.accounts.
 */
class CoverageScraper implements Behaviour {
  private k = 0;

  constructor(
    private readonly ctx: PersonaContext,
    private readonly rng: Rng,
    private readonly base: BusinessHours,
    private readonly perDay: readonly [number, number],
    private readonly offset: number,
    readonly startMs: number,
  ) {}

  day(day: number, out: SimRequest[]): void {
    const from = out.length;
    this.base.day(day, out);
    if (dayStart(this.ctx.window, day + 1) <= this.startMs || !isWorkday(dayStart(this.ctx.window, day))) return;
    const eligible: number[] = [];
    for (let i = from; i < out.length; i++) {
      const req = out[i] as SimRequest;
      if (req.startMs >= this.startMs && /^\/v\d\/(customers|orders|invoices|accounts)\/[^/]+$/.test(req.uri)) eligible.push(i);
    }
    eligible.sort((a, b) => (out[a] as SimRequest).startMs - (out[b] as SimRequest).startMs);
    const want = Math.min(this.rng.int(this.perDay[0], this.perDay[1]), Math.floor(eligible.length * 0.85));
    // Spread over the day's reads, not bunched at its start.
    const step = eligible.length / Math.max(1, want);
    for (let j = 0; j < want; j++) {
      const i = eligible[Math.floor(j * step)] as number;
      const req = out[i] as SimRequest;
      out[i] = this.base.client.send(api.account(1 + ((this.k++ * STRIDE + this.offset) % ACCOUNT_COUNT)), req.startMs, this.base.origin, true);
    }
  }
}

export function coverageScraper(ctx: PersonaContext): Persona {
  const rng = ctx.fork('attack');
  // A busy integration that reads accounts itself: the scraper's reads hide among its own.
  const base = new BusinessHours(ctx, rng.chance(0.5) ? 'crm-sync' : 'billing', [300, 450]);
  let day = ctx.window.attackDay;
  while (!isWorkday(dayStart(ctx.window, day))) day++;
  const start = Math.round(base.localMidnight(day) + rng.uniform(8, 12) * HOUR_MS);
  return {
    behaviour: new CoverageScraper(ctx, rng, base, [180, 220], rng.int(0, ACCOUNT_COUNT - 1), start),
    tzOffsetMin: base.tzOffsetMin,
    attackStartMs: start,
    attack: {
      description: 'compromised host: ~200 of its detail reads each working day go to accounts it never read, each once, in scattered order; same volume, hours, network, agent',
      routes: ['/v1/accounts/{int}'],
      networks: [...base.origin.networks],
      userAgents: [...base.origin.userAgents],
    },
  };
}
