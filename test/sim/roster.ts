import type { SimWindow } from './calendar.js';
import { KeyDrift } from './drift.js';
import { makeApiKey } from './identity.js';
import { NetworkPool } from './network-pool.js';
import { SimOptionError, type SimOptions } from './options.js';
import { Keyless } from './personas/keyless.js';
import {
  ALL_ATTACK_KINDS,
  BASE_PERSONA,
  GROUP_SIZE,
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
  /** The Kong consumer (its id) the key belongs to: one per key, except companies with several keys and consumer groups. */
  consumer: string;
  /** `<kind>-<n>` for keys of a group kind (GROUP_SIZE): the campaign or consumer it acts with; null otherwise. */
  group: string | null;
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
  const attacks = ALL_ATTACK_KINDS.flatMap((kind) => Array<PersonaName>(opts.attacks[kind]).fill(kind));
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

/** Share of business-hours keys that belong to a company with two or three keys (one consumer). */
const SHARED_CONSUMER_SHARE = 0.12;

/** A Kong consumer id: a UUID, as Kong gives its consumers. */
function consumerId(rng: Rng): string {
  const h = rng.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
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
    const size = GROUP_SIZE[name as AttackKind];
    const count = opts.attacks[name as AttackKind] ?? 0;
    const groupIndex = size === undefined ? -1 : Math.floor(i / size);
    // The members of a group start on the same day; groups of a kind spread like single attacks.
    const attackDay = !(name in BASE_PERSONA)
      ? opts.attackDay
      : size === undefined
        ? opts.attackDay + Math.floor((i * opts.attackSpread) / count)
        : opts.attackDay + Math.floor((groupIndex * opts.attackSpread) / Math.ceil(count / size));
    const group =
      size === undefined
        ? null
        : { index: groupIndex, member: i % size, size: Math.min(size, count - groupIndex * size), shared: (label: string) => Rng.from(opts.seed, 'group', name, groupIndex, label) };
    const persona = personas[name]({
      rng: Rng.from(opts.seed, 'key', index),
      fork: (label) => Rng.from(opts.seed, 'key', index, label),
      apiKey,
      pool,
      window: attackDay === window.attackDay ? window : { ...window, attackDay },
      drift: opts.driftDay === null ? null : KeyDrift.of(opts.seed, index, window, opts.driftDay),
      accounts: opts.accounts,
      group,
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
      consumer: group && name === 'consumer-scraper' ? consumerId(group.shared('consumer')) : consumerId(Rng.from(opts.seed, 'consumer', index)),
      group: group ? `${name}-${group.index}` : null,
    };
  });
  shareConsumers(keys, Rng.from(opts.seed, 'companies'));
  return { window, keys, background: [new Keyless(Rng.from(opts.seed, 'keyless'), pool, window)] };
}

/** Some companies run two or three integrations, each with its own key, under one consumer. */
function shareConsumers(keys: RosterKey[], rng: Rng): void {
  const business = keys.filter((k) => k.persona === 'business-hours');
  const picked = business.filter(() => rng.chance(SHARED_CONSUMER_SHARE));
  for (let i = 0; i + 1 < picked.length; ) {
    const n = Math.min(picked.length - i, rng.chance(0.3) ? 3 : 2);
    const consumer = (picked[i] as RosterKey).consumer;
    for (let j = 1; j < n; j++) (picked[i + j] as RosterKey).consumer = consumer;
    i += n;
  }
}
