import type { Rng } from './prng.js';

/**
 * Where a key's requests come from: its /24 networks, the host octets used in them
 * (client IPs vary in the last octet only) and its user agents.
 */
export class Origin {
  /**
   * @param networks "a.b.c" prefixes
   * @param hosts last octets in use
   * @param userAgents the first is the most common
   * @param headerBytes request header bytes beyond path, agent and key (tracing, accept, ...)
   */
  constructor(
    readonly networks: readonly string[],
    readonly hosts: readonly number[],
    readonly userAgents: readonly string[],
    readonly headerBytes: number,
  ) {}

  address(rng: Rng): string {
    return `${rng.pick(this.networks)}.${rng.pick(this.hosts)}`;
  }

  userAgent(rng: Rng): string {
    return this.userAgents.length > 1 && rng.chance(0.2) ? rng.pick(this.userAgents) : (this.userAgents[0] ?? '');
  }
}
