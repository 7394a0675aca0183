import { DAY_MS } from './calendar.js';
import { ALL_ATTACK_KINDS, ATTACK_KINDS, type AttackKind } from './personas/index.js';

/** How many keys of each attack kind to plant. */
export type AttackMix = Record<AttackKind, number>;

/**
 * Which honest personas the keys get. `classic`: business-hours integrations, nightly batch
 * jobs, mobile backends, low-traffic keys (the bundled sample). `extended`: also back-office
 * staff, heavy users, schedule pollers and honest keys onboarded mid-period.
 */
export type Population = 'classic' | 'extended';
export const POPULATIONS: readonly Population[] = ['classic', 'extended'];

/** How the log is written: NGINX lines in lowslow's log_format, or Kong `serialize()` objects (with the consumer). */
export type LogFormat = 'nginx' | 'kong';
export const LOG_FORMATS: readonly LogFormat[] = ['nginx', 'kong'];

/** Simulation options; every field has a default. */
export interface SimOptions {
  /** Seed of every random stream; same seed and options give byte-identical output. @default 1 */
  seed: number;
  /** Whole days simulated. @default 7 */
  days: number;
  /** First day, a UTC midnight in ISO 8601. @default "2026-11-02T00:00:00Z" (a Monday) */
  start: string;
  /** Number of API keys, planted attackers included. @default 40 */
  keys: number;
  /** 0-based day the attacks begin. @default min(3, floor(days / 2)), i.e. day 4 of 7 */
  attackDay: number;
  /**
   * Days over which the instances of one attack kind start: instance i of n begins on
   * attackDay + floor(i * attackSpread / n). @default 1 (all on the attack day)
   */
  attackSpread: number;
  /** Attack keys to plant. @default one of each classic kind (slow-scraper, deep-pager, shared-key, new-key-scraper) */
  attacks: AttackMix;
  /** Honest personas. @default "classic" */
  population: Population;
  /**
   * 0-based day of population-wide honest drift (/v2 routes adopted by most keys over the
   * following days; a client library upgrade changing many keys' agents two days later);
   * null for none. @default floor(days / 2) for the extended population, null for classic
   */
  driftDay: number | null;
  /**
   * The API also serves /v1/accounts/{int} (20,000 accounts), which honest keys read narrowly:
   * the id space a coverage scraper walks. @default false
   */
  accounts: boolean;
  /**
   * Log format. `kong` writes Kong `serialize()` objects with each key's consumer, so the
   * consumer behind several keys reaches the detector. @default "nginx"
   */
  format: LogFormat;
}

export class SimOptionError extends Error {
  readonly code = 'LOWSLOW_SIM_BAD_OPTION';
}

const NO_ATTACKS = Object.fromEntries(ALL_ATTACK_KINDS.map((k) => [k, 0])) as AttackMix;
export const DEFAULT_ATTACKS: AttackMix = { ...NO_ATTACKS, 'slow-scraper': 1, 'deep-pager': 1, 'shared-key': 1, 'new-key-scraper': 1 };

/** Fills in defaults and checks every option; throws SimOptionError naming the option. */
export function resolveOptions(input: Partial<SimOptions> = {}): SimOptions {
  const days = input.days ?? 7;
  const population = input.population ?? 'classic';
  const opts: SimOptions = {
    seed: input.seed ?? 1,
    days,
    start: input.start ?? '2026-11-02T00:00:00Z',
    keys: input.keys ?? 40,
    attackDay: input.attackDay ?? Math.min(3, Math.floor(days / 2)),
    attackSpread: input.attackSpread ?? 1,
    attacks: { ...(input.attacks ? NO_ATTACKS : DEFAULT_ATTACKS), ...input.attacks },
    population,
    driftDay: input.driftDay !== undefined ? input.driftDay : population === 'extended' ? Math.floor(days / 2) : null,
    accounts: input.accounts ?? false,
    format: input.format ?? 'nginx',
  };
  if (!Number.isSafeInteger(opts.seed)) throw new SimOptionError(`--seed must be an integer, got ${opts.seed}`);
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new SimOptionError(`--days must be an integer in 1..366, got ${days}`);
  const startMs = Date.parse(opts.start);
  if (Number.isNaN(startMs) || startMs % DAY_MS !== 0) {
    throw new SimOptionError(`--start must be a UTC midnight such as 2026-11-02T00:00:00Z, got ${opts.start}`);
  }
  if (!Number.isInteger(opts.attackDay) || opts.attackDay < 0 || opts.attackDay >= days) {
    throw new SimOptionError(`--attack-day must be an integer in 0..${days - 1} (0-based, within --days), got ${opts.attackDay}`);
  }
  if (!Number.isInteger(opts.attackSpread) || opts.attackSpread < 1 || opts.attackDay + opts.attackSpread > days) {
    throw new SimOptionError(`--attack-spread must be an integer in 1..${days - opts.attackDay} (attacks start within --days), got ${opts.attackSpread}`);
  }
  for (const kind of ALL_ATTACK_KINDS) {
    const n = opts.attacks[kind];
    if (!Number.isInteger(n) || n < 0) throw new SimOptionError(`--attacks: count for ${kind} must be a non-negative integer, got ${n}`);
  }
  if (!POPULATIONS.includes(opts.population)) {
    throw new SimOptionError(`--population must be ${POPULATIONS.join(' or ')}, got ${String(opts.population)}`);
  }
  if (opts.driftDay !== null && (!Number.isInteger(opts.driftDay) || opts.driftDay < 0 || opts.driftDay >= days)) {
    throw new SimOptionError(`--drift-day must be an integer in 0..${days - 1} or none, got ${opts.driftDay}`);
  }
  if (!LOG_FORMATS.includes(opts.format)) throw new SimOptionError(`--format must be ${LOG_FORMATS.join(' or ')}, got ${String(opts.format)}`);
  if (!Number.isInteger(opts.keys) || opts.keys < 1) throw new SimOptionError(`--keys must be a positive integer, got ${opts.keys}`);
  return opts;
}

/**
 * Parses `--attacks`: "none", or a comma list of kinds with optional counts, e.g.
 * "slow-scraper,deep-pager:2"; "all" (or "all:N") stands for every kind of ATTACK_KINDS (the
 * month-long and multi-key kinds of CAMPAIGN_KINDS are planted only when named). Kinds not listed
 * are not planted; counts of a kind listed twice add up.
 */
export function parseAttackMix(text: string): AttackMix {
  const mix: AttackMix = { ...NO_ATTACKS };
  if (text.trim() === 'none') return mix;
  for (const part of text.split(',')) {
    const [name = '', count = '1'] = part.trim().split(':');
    const n = Number(count);
    if (!Number.isInteger(n) || n < 0) throw new SimOptionError(`--attacks: count for ${name} must be a non-negative integer, got "${count}"`);
    if (name === 'all') {
      for (const kind of ATTACK_KINDS) mix[kind] += n;
      continue;
    }
    if (!(ALL_ATTACK_KINDS as readonly string[]).includes(name)) {
      throw new SimOptionError(`--attacks: unknown kind "${name}"; use ${ALL_ATTACK_KINDS.join(', ')}, all or none`);
    }
    mix[name as AttackKind] += n;
  }
  return mix;
}
