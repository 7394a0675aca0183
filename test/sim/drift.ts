import type { ApiCall } from './api.js';
import { dayStart, DAY_MS, HOUR_MS, type SimWindow } from './calendar.js';
import { Rng } from './prng.js';

/** Routes that get a /v2 twin on the drift day, and the twin. */
export const V2_ROUTES: ReadonlyArray<readonly [string, string]> = [
  ['/v1/customers/{int}', '/v2/customers/{int}'],
  ['/v1/orders/{int}', '/v2/orders/{int}'],
  ['/v1/orders', '/v2/orders'],
];

/** Client library (and browser) versions before and after the upgrade many keys roll out the same day. */
export const AGENT_UPGRADES: ReadonlyArray<readonly [string, string]> = [
  ['python-requests/2.31.0', 'python-requests/2.32.3'],
  ['python-httpx/0.27.0', 'python-httpx/0.28.1'],
  ['Java/17.0.9', 'Java/21.0.5'],
  ['axios/1.6.8', 'axios/1.7.9'],
  ['okhttp/4.12.0', 'okhttp/4.12.1'],
  ['PHP/8.2.12', 'PHP/8.3.14'],
  ['.NET/8.0', '.NET/9.0'],
  ['node/20.11.1; undici/6.6.2', 'node/22.12.0; undici/6.21.0'],
  ['Chrome/131.0.0.0', 'Chrome/132.0.0.0'],
  ['rv:128.0) Gecko/20100101 Firefox/128.0', 'rv:134.0) Gecko/20100101 Firefox/134.0'],
];

/** Share of keys that move their detail reads to /v2, and how many days after the drift day they do. */
const V2_ADOPTION = 0.8;
const V2_LAG_DAYS: ReadonlyArray<readonly [number, number]> = [[0, 35], [1, 25], [2, 20], [3, 10], [4, 5], [5, 3], [6, 2]];
/** Share of keys that deploy the library upgrade, all on the second day after the drift day. */
const AGENT_UPGRADE_SHARE = 0.65;
const AGENT_UPGRADE_LAG_DAYS = 2;

/** Population-wide drift of one run, as written to the truth file. */
export interface DriftInfo {
  /** 0-based day /v2 is released. */
  day: number;
  v2_routes: Array<{ from: string; to: string }>;
  v2_adoption: number;
  /** UTC midnight of the day the client library upgrade ships, ms epoch. */
  agent_upgrade_day_ms: number;
  agent_upgrades: Array<{ from: string; to: string }>;
  agent_upgrade_share: number;
}

export function driftInfo(window: SimWindow, day: number): DriftInfo {
  return {
    day,
    v2_routes: V2_ROUTES.map(([from, to]) => ({ from, to })),
    v2_adoption: V2_ADOPTION,
    agent_upgrade_day_ms: dayStart(window, day + AGENT_UPGRADE_LAG_DAYS),
    agent_upgrades: AGENT_UPGRADES.map(([from, to]) => ({ from, to })),
    agent_upgrade_share: AGENT_UPGRADE_SHARE,
  };
}

/**
 * One key's part in the drift: from when its honest client calls /v2 for the routes that have
 * one, and from when it sends upgraded user agents (Infinity: never). Applied by the key's
 * Client to every call it sends, so each persona drifts without knowing about it; attackers'
 * own tools have no plan and keep /v1 and their agents.
 */
export class KeyDrift {
  private readonly upgraded = new Map<string, string>();

  constructor(
    readonly v2FromMs: number,
    readonly agentFromMs: number,
  ) {}

  /** The plan of key `index`, drawn from its own stream so it shifts nothing else. */
  static of(seed: number, index: number, window: SimWindow, day: number): KeyDrift {
    const rng = Rng.from(seed, 'drift', index);
    const v2 = rng.chance(V2_ADOPTION) ? dayStart(window, day + rng.weighted(V2_LAG_DAYS)) + rng.uniform(0, DAY_MS) : Infinity;
    const upgrade = dayStart(window, day + AGENT_UPGRADE_LAG_DAYS) + rng.uniform(0, 20 * HOUR_MS);
    return new KeyDrift(Math.round(v2), rng.chance(AGENT_UPGRADE_SHARE) ? Math.round(upgrade) : Infinity);
  }

  call(call: ApiCall, startMs: number): ApiCall {
    if (startMs < this.v2FromMs) return call;
    for (const [from, to] of V2_ROUTES) {
      if (call.route === from) return { ...call, route: to, uri: '/v2' + call.uri.slice(3) };
    }
    return call;
  }

  agent(userAgent: string, startMs: number): string {
    if (startMs < this.agentFromMs) return userAgent;
    let out = this.upgraded.get(userAgent);
    if (out === undefined) {
      out = userAgent;
      for (const [from, to] of AGENT_UPGRADES) out = out.replace(from, to);
      this.upgraded.set(userAgent, out);
    }
    return out;
  }
}
