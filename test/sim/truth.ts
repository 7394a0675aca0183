import { windowEnd } from './calendar.js';
import { driftInfo, type DriftInfo } from './drift.js';
import { CAMPAIGN_KINDS } from './personas/index.js';
import type { SimOptions } from './options.js';
import type { Roster } from './roster.js';

/** Ground truth of one key, as written to the truth file. Raw keys: this is test data. */
export interface TruthKey {
  key: string;
  persona: string;
  /** The honest persona of a compromised key before its attack; null otherwise. */
  base_persona: string | null;
  /** The key's home time zone, minutes east of UTC; null for keys without local hours (UTC jobs, scrapers' own keys). */
  tz_offset_min: number | null;
  abusive: boolean;
  /** Start of the key's first abusive request, ms epoch; null for honest keys. */
  attack_start_ms: number | null;
  attack: { description: string; routes: string[]; networks: string[]; user_agents: string[] } | null;
  /** Kong runs only (format kong): the consumer id the key belongs to. */
  consumer?: string;
  /** Keys planted in groups (distributed scrapers, a consumer's keys): `<kind>-<n>`. */
  group?: string;
}

export interface Truth {
  generator: 'lowslow test/sim';
  synthetic: true;
  format: string;
  options: {
    seed: number;
    days: number;
    start: string;
    keys: number;
    attack_day: number;
    attack_spread: number;
    attacks: Record<string, number>;
    population: string;
    drift_day: number | null;
    /** Only when set (runs without them stay as they were). */
    accounts?: boolean;
    format?: string;
  };
  window: { start_ms: number; end_ms: number };
  /** Population-wide honest drift; null when the run has none. */
  drift: DriftInfo | null;
  keys: TruthKey[];
}

export function truthOf(roster: Roster, opts: SimOptions): Truth {
  return {
    generator: 'lowslow test/sim',
    synthetic: true,
    format:
      opts.format === 'kong'
        ? 'Kong kong.log.serialize() objects (file-log), one JSON object per line, with the consumer'
        : 'NGINX access log, log_format lowslow (gateway-plugins/nginx/lowslow.conf), one JSON object per line',
    options: {
      seed: opts.seed,
      days: opts.days,
      start: opts.start,
      keys: opts.keys,
      attack_day: opts.attackDay,
      attack_spread: opts.attackSpread,
      // Kinds planted only when named are listed only when they are.
      attacks: Object.fromEntries(Object.entries(opts.attacks).filter(([k, n]) => n > 0 || !(CAMPAIGN_KINDS as readonly string[]).includes(k))),
      population: opts.population,
      drift_day: opts.driftDay,
      ...(opts.accounts ? { accounts: true } : {}),
      ...(opts.format !== 'nginx' ? { format: opts.format } : {}),
    },
    window: { start_ms: roster.window.startMs, end_ms: windowEnd(roster.window) },
    drift: opts.driftDay === null ? null : driftInfo(roster.window, opts.driftDay),
    keys: roster.keys.map((k): TruthKey => ({
      key: k.apiKey,
      persona: k.persona,
      base_persona: k.basePersona,
      tz_offset_min: k.tzOffsetMin,
      abusive: k.abusive,
      attack_start_ms: k.attackStartMs,
      attack: k.attack && {
        description: k.attack.description,
        routes: k.attack.routes,
        networks: k.attack.networks,
        user_agents: k.attack.userAgents,
      },
      ...(opts.format === 'kong' ? { consumer: k.consumer } : {}),
      ...(k.group !== null ? { group: k.group } : {}),
    })),
  };
}
