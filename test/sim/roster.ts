import type { SimWindow } from './calendar.js';
import { KeyDrift } from './drift.js';
import { makeApiKey } from './identity.js';
import { NetworkPool } from './network-pool.js';
import { SimOptionError, type SimOptions } from './options.js';
import { Keyless } from './personas/keyless.js';
import {
  ATTACK_KINDS,
  BASE_PERSONA,
  personas,
  type AttackInfo,
  type AttackKind,
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
  tzOffsetMin: number | null;
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

/** Shares of the keys per honest persona (at least one each); business-hours integrations take the rest. */
const CLASSIC_SHARES: ReadonlyArray<readonly [HonestPersona, (keys: number) => number]> = [
  ['nightly-batch', (n) => Math.max(1, Math.round(n * 0.075))],
  ['mobile-backend', (n) => Math.max(1, Math.floor(n / 40))],
  ['low-traffic', (n) => Math.max(1, Math.round(n * 0.125))],
];
const EXTENDED_SHARES: ReadonlyArray<readonly [HonestPersona, (keys: number) => number]> = [
  ...CLASSIC_SHARES,
  ['back-office', (n) => Math.max(1, Math.round(n * 0.1))],
  ['heavy-user', (n) => Math.max(1, Math.round(n * 0.01))],
  ['poller', (n) => Math.max(1, Math.round(n * 0.05))],
  ['onboarding', (n) => Math.max(1, Math.round(n * 0.05))],
];

/**
 * Which persona each key gets: the planted attacks, then per 40 keys 3 nightly batch jobs,
 * 1 mobile backend, 5 low-traffic keys (the extended population adds per 100 keys 10
 * back-office keys, 1 heavy user, 5 pollers, 5 keys onboarded mid-period), and business-hours
 * integrations for the rest (compromised keys are taken from those). Shuffled so positions
 * carry no meaning.
 */
export function personaMix(opts: SimOptions): PersonaName[] {
  const attacks = ATTACK_KINDS.flatMap((kind) => Array<PersonaName>(opts.attacks[kind]).fill(kind));
  const honest = (opts.population === 'extended' ? EXTENDED_SHARES : CLASSIC_SHARES).flatMap(([name, count]) =>
    Array<PersonaName>(count(opts.keys)).fill(name),
  );
  const business = opts.keys - attacks.length - honest.length;
  if (business < 1) {
    throw new SimOptionError(`--keys ${opts.keys} is too small for ${attacks.length} planted attacks; use at least ${opts.keys - business + 1}`);
  }
  const names: PersonaName[] = [...attacks, ...honest, ...Array<PersonaName>(business).fill('business-hours')];
  return Rng.from(opts.seed, 'roster').shuffle(names);
}

/** Builds every key's behaviour. Behaviours hold state: build a fresh roster per run. */
export function buildRoster(opts: SimOptions): Roster {
  const window: SimWindow = { startMs: Date.parse(opts.start), days: opts.days, attackDay: opts.attackDay };
  const pool = new NetworkPool();
  const instance = new Map<PersonaName, number>();
  const keys = personaMix(opts).map((name, index): RosterKey => {
    const apiKey = makeApiKey(Rng.from(opts.seed, 'api-key', index));
    const i = instance.get(name) ?? 0;
    instance.set(name, i + 1);
    const attackDay = name in BASE_PERSONA ? opts.attackDay + Math.floor((i * opts.attackSpread) / opts.attacks[name as AttackKind]) : opts.attackDay;
    const persona = personas[name]({
      rng: Rng.from(opts.seed, 'key', index),
      fork: (label) => Rng.from(opts.seed, 'key', index, label),
      apiKey,
      pool,
      window: attackDay === window.attackDay ? window : { ...window, attackDay },
      drift: opts.driftDay === null ? null : KeyDrift.of(opts.seed, index, window, opts.driftDay),
    });
    const basePersona = name in BASE_PERSONA ? BASE_PERSONA[name as AttackKind] : null;
    return {
      index,
      apiKey,
      persona: name,
      basePersona,
      tzOffsetMin: persona.tzOffsetMin,
      abusive: persona.attackStartMs !== null,
      attackStartMs: persona.attackStartMs,
      attack: persona.attack,
      behaviour: persona.behaviour,
    };
  });
  return { window, keys, background: [new Keyless(Rng.from(opts.seed, 'keyless'), pool, window)] };
}
