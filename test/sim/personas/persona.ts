import type { SimWindow } from '../calendar.js';
import type { KeyDrift } from '../drift.js';
import type { SimRequest } from '../event.js';
import type { NetworkPool } from '../network-pool.js';
import type { Rng } from '../prng.js';

/**
 * How one stream of traffic behaves, one UTC day at a time. Obligations: `day(d)` is
 * called for d = -1, 0, 1, ... in order; every request it pushes starts at or after the
 * UTC midnight that begins day d (it may end, or start, later than day d). The caller sorts,
 * clips to the window and merges.
 */
export interface Behaviour {
  day(day: number, out: SimRequest[]): void;
}

/** What a persona factory gets for one key. */
export interface PersonaContext {
  /** The key's own random stream. */
  rng: Rng;
  /** A separate stream for a named part (e.g. the attack), so adding it leaves the rest unchanged. */
  fork(label: string): Rng;
  apiKey: string;
  pool: NetworkPool;
  /** The run's window; `attackDay` is this key's own (attacks of one kind may be spread over days). */
  window: SimWindow;
  /** The key's part in population-wide drift, for its honest Client; null when the run has none. */
  drift: KeyDrift | null;
  /** The API has /v1/accounts/{int} (SimOptions.accounts): honest keys read some accounts. */
  accounts: boolean;
  /** For kinds that act in groups (GROUP_SIZE): which group and member this key is; null otherwise. */
  group: GroupContext | null;
}

export interface GroupContext {
  index: number;
  member: number;
  size: number;
  /** A stream every member of the group draws the same numbers from (the group's plan). */
  shared(label: string): Rng;
}

/** Details of a planted attack, written to the truth file. */
export interface AttackInfo {
  description: string;
  /** Routes the abusive requests go to (templated). */
  routes: string[];
  /** /24 networks ("a.b.c") the abusive requests come from. */
  networks: string[];
  userAgents: string[];
}

export interface Persona {
  behaviour: Behaviour;
  /** The key's home time zone (minutes east of UTC) where it keeps local hours; null when it has none (UTC jobs, scrapers' own keys). */
  tzOffsetMin: number | null;
  /** Start of the first abusive request, ms epoch; null for honest keys. */
  attackStartMs: number | null;
  attack: AttackInfo | null;
}

export type PersonaFactory = (ctx: PersonaContext) => Persona;
