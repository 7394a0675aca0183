/**
 * Traffic for campaign tests, built as AccessEvents directly: ten days of honest integrations and
 * broad readers, with planted keys added by the caller, and the distributed scraper most tests plant.
 */
import type { AccessEvent } from '../../contracts/index.js';
import { mulberry32 } from './seeded.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const T0 = Date.UTC(2026, 10, 2);
export const key = (tag: string, i: number) => (tag + i.toString(16)).padStart(32, '0');

let n = 0;
export function read(keyId: string, ts: number, id: number, ip: string, ua: string, consumer?: string): AccessEvent {
  const e: AccessEvent = {
    v: 1,
    id: `e${n++}`,
    ts: Math.round(ts),
    source: { gateway: 'kong', host: 'h1' },
    key_id: keyId,
    client: { ip, ua },
    request: { method: 'GET', route: '/v1/customers/{int}', objects: [id], params: [], bytes: 0 },
    response: { status: 200, bytes: 1400, latency_ms: 12 },
  };
  if (consumer !== undefined) e.context = { consumer_id: consumer };
  return e;
}

/**
 * Ten days: 60 integrations re-reading their own few hundred customers in working hours, three
 * broad readers (a mobile backend's kind) reading 400 customers a day across the whole space,
 * each from its own network with its own agent; `extra` adds the planted keys.
 */
export function traffic(extra: (day: number, r: () => number, out: AccessEvent[]) => void): AccessEvent[] {
  const r = mulberry32(7);
  const out: AccessEvent[] = [];
  const sets = Array.from({ length: 60 }, (_v, i) => Array.from({ length: 150 + ((i * 37) % 200) }, () => 1 + Math.floor(r() * 200_000)));
  for (let day = 0; day < 10; day++) {
    const base = T0 + day * DAY;
    sets.forEach((set, i) => {
      for (let j = 0; j < 60; j++) out.push(read(key('a', i), base + (8 + r() * 9) * HOUR, set[Math.floor(r() * set.length)] as number, `100.${i}.7.${9 + (j % 3)}`, `acme${i}-sync/2.${i} (python-requests/2.31.0)`));
    });
    for (let i = 0; i < 3; i++) for (let j = 0; j < 400; j++) out.push(read(key('b', i), base + r() * DAY, 1 + Math.floor(r() * 200_000), `120.${i}.3.4`, `app${i}-backend/4.1`));
    extra(day, r, out);
  }
  return out.sort((a, b) => a.ts - b.ts);
}


/** Five keys of one script on one provider's /16 (a /24 each), each reading its own 6,000-id slice of customers, 400 a day, from day 5. */
export const SCRAPERS = [0, 1, 2, 3, 4].map((i) => key('d', i));

export function distributedScraper(day: number, r: () => number, out: AccessEvent[]): void {
  if (day < 5) return;
  SCRAPERS.forEach((k, i) => {
    for (let j = 0; j < 400; j++) {
      const slot = (day - 5) * 400 + j;
      out.push(read(k, T0 + day * DAY + (j + r()) * (DAY / 400), 50_000 + i * 6_000 + ((slot * 7919) % 6_000), `198.51.${10 * (i + 1)}.${20 + i}`, 'python-requests/2.32.3'));
    }
  });
}
