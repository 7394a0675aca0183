import type { Rng } from './prng.js';

/**
 * First octets of public unicast space (no private, loopback, CGNAT, link-local, multicast
 * or reserved ranges), so every simulated /24 looks like a real client network.
 */
const FIRST_OCTETS = [
  3, 5, 13, 18, 20, 23, 31, 34, 35, 37, 44, 46, 52, 54, 62, 63, 64, 66, 69, 72, 77, 78, 80, 81, 82, 85, 87, 88, 89, 91,
  93, 94, 95, 104, 107, 109, 128, 131, 134, 138, 141, 144, 145, 146, 151, 154, 157, 159, 161, 164, 176, 178, 185, 188,
  193, 194, 195, 198, 200, 201, 203, 209, 212, 213, 217,
];

/** Hands out distinct /24 networks ("a.b.c") so no two keys or attacks share one by accident. */
export class NetworkPool {
  private readonly used = new Set<string>();

  allocate(rng: Rng): string {
    for (;;) {
      const net = `${rng.pick(FIRST_OCTETS)}.${rng.int(0, 255)}.${rng.int(0, 255)}`;
      if (!this.used.has(net)) {
        this.used.add(net);
        return net;
      }
    }
  }

  /** A /16 ("a.b") drawn from `rng` alone, the same for every caller with the same stream (a provider's block). */
  static block(rng: Rng): string {
    return `${rng.pick(FIRST_OCTETS)}.${rng.int(0, 255)}`;
  }

  /** A free /24 inside the /16 `block` ("a.b"). */
  allocateIn(rng: Rng, block: string): string {
    for (let tries = 0; tries < 1024; tries++) {
      const net = `${block}.${rng.int(0, 255)}`;
      if (!this.used.has(net)) {
        this.used.add(net);
        return net;
      }
    }
    return this.allocate(rng);
  }

  allocateMany(rng: Rng, count: number): string[] {
    return Array.from({ length: count }, () => this.allocate(rng));
  }
}
