import { DAY_MS } from './calendar.js';
import { ATTACK_KINDS, type AttackKind } from './personas/index.js';

/** How many keys of each attack kind to plant. */
export type AttackMix = Record<AttackKind, number>;

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
  /** Attack keys to plant. @default one of each kind */
  attacks: AttackMix;
}

export class SimOptionError extends Error {
  readonly code = 'LOWSLOW_SIM_BAD_OPTION';
}

export const DEFAULT_ATTACKS: AttackMix = { 'slow-scraper': 1, 'deep-pager': 1, 'shared-key': 1, 'new-key-scraper': 1 };

/** Fills in defaults and checks every option; throws SimOptionError naming the option. */
export function resolveOptions(input: Partial<SimOptions> = {}): SimOptions {
  const days = input.days ?? 7;
  const opts: SimOptions = {
    seed: input.seed ?? 1,
    days,
    start: input.start ?? '2026-11-02T00:00:00Z',
    keys: input.keys ?? 40,
    attackDay: input.attackDay ?? Math.min(3, Math.floor(days / 2)),
    attacks: { ...DEFAULT_ATTACKS, ...input.attacks },
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
  for (const kind of ATTACK_KINDS) {
    const n = opts.attacks[kind];
    if (!Number.isInteger(n) || n < 0) throw new SimOptionError(`--attacks: count for ${kind} must be a non-negative integer, got ${n}`);
  }
  if (!Number.isInteger(opts.keys) || opts.keys < 1) throw new SimOptionError(`--keys must be a positive integer, got ${opts.keys}`);
  return opts;
}

/**
 * Parses `--attacks`: "none", or a comma list of kinds with optional counts, e.g.
 * "slow-scraper,deep-pager:2". Kinds not listed are not planted.
 */
export function parseAttackMix(text: string): AttackMix {
  const mix: AttackMix = { 'slow-scraper': 0, 'deep-pager': 0, 'shared-key': 0, 'new-key-scraper': 0 };
  if (text.trim() === 'none') return mix;
  for (const part of text.split(',')) {
    const [name = '', count = '1'] = part.trim().split(':');
    if (!(ATTACK_KINDS as readonly string[]).includes(name)) {
      throw new SimOptionError(`--attacks: unknown kind "${name}"; use ${ATTACK_KINDS.join(', ')} or none`);
    }
    mix[name as AttackKind] += Number(count);
  }
  return mix;
}
