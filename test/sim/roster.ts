import type { SimWindow } from './calendar.js';
import { makeApiKey } from './identity.js';
import { NetworkPool } from './network-pool.js';
import { SimOptionError, type SimOptions } from './options.js';
import { Keyless } from './personas/keyless.js';
import {
  ATTACK_KINDS,
  BASE_PERSONA,
  personas,
  type AttackInfo,
  type Behaviour,
  type HonestPersona,
  type PersonaName,
} from './personas/index.js';
import { Rng } from './prng.js';

/** One simulated API key. */
export interface RosterKey {
  index: number;
  apiKey: string;
  persona: PersonaName;
  basePersona: HonestPersona | null;
  abusive: boolean;
  attackStartMs: number | null;
  attack: AttackInfo | null;
  behaviour: Behaviour;
}

/** Every stream of a run: the keys, then traffic without a key. */
export interface Roster {
  window: SimWindow;
  keys: RosterKey[];
  background: Behaviour[];
}

/**
 * Which persona each key gets: the planted attacks, then per 40 keys 3 nightly batch jobs,
 * 1 mobile backend, 5 low-traffic keys, and business-hours integrations for the rest
 * (compromised keys are taken from those). Shuffled so positions carry no meaning.
 */
export function personaMix(opts: SimOptions): PersonaName[] {
  const attacks = ATTACK_KINDS.flatMap((kind) => Array<PersonaName>(opts.attacks[kind]).fill(kind));
  const nightly = Math.max(1, Math.round(opts.keys * 0.075));
  const mobile = Math.max(1, Math.floor(opts.keys / 40));
  const low = Math.max(1, Math.round(opts.keys * 0.125));
  const business = opts.keys - attacks.length - nightly - mobile - low;
  if (business < 1) {
    throw new SimOptionError(`--keys ${opts.keys} is too small for ${attacks.length} planted attacks; use at least ${opts.keys - business + 1}`);
  }
  const names: PersonaName[] = [
    ...attacks,
    ...Array<PersonaName>(nightly).fill('nightly-batch'),
    ...Array<PersonaName>(mobile).fill('mobile-backend'),
    ...Array<PersonaName>(low).fill('low-traffic'),
    ...Array<PersonaName>(business).fill('business-hours'),
  ];
  return Rng.from(opts.seed, 'roster').shuffle(names);
}

/** Builds every key's behaviour. Behaviours hold state: build a fresh roster per run. */
export function buildRoster(opts: SimOptions): Roster {
  const window: SimWindow = { startMs: Date.parse(opts.start), days: opts.days, attackDay: opts.attackDay };
  const pool = new NetworkPool();
  const keys = personaMix(opts).map((name, index): RosterKey => {
    const apiKey = makeApiKey(Rng.from(opts.seed, 'api-key', index));
    const persona = personas[name]({
      rng: Rng.from(opts.seed, 'key', index),
      fork: (label) => Rng.from(opts.seed, 'key', index, label),
      apiKey,
      pool,
      window,
    });
    const basePersona = name in BASE_PERSONA ? BASE_PERSONA[name as keyof typeof BASE_PERSONA] : null;
    return {
      index,
      apiKey,
      persona: name,
      basePersona,
      abusive: persona.attackStartMs !== null,
      attackStartMs: persona.attackStartMs,
      attack: persona.attack,
      behaviour: persona.behaviour,
    };
  });
  return { window, keys, background: [new Keyless(Rng.from(opts.seed, 'keyless'), pool, window)] };
}
