import { describe, expect, it } from 'vitest';
import { validateAccessEvent } from '../../../contracts/index.js';
import { isRejection, parsers } from '../../../agent/parsers/index.js';
import { Sanitizer } from '../../../agent/sanitize/index.js';
import { computeKeyId } from '../../../agent/sanitize/key-id.js';
import { parseAttackMix } from '../../sim/options.js';
import { simulate } from '../../sim/simulate.js';

const SECRET = 'sim-kong-test-secret-0123456789';

describe('simulated Kong serialize() lines', () => {
  const sim = simulate({
    days: 4,
    keys: 60,
    population: 'extended',
    attackDay: 1,
    accounts: true,
    format: 'kong',
    attacks: parseAttackMix('coverage-scraper,distributed-scraper:5,consumer-scraper:5'),
  });
  const lines = [...sim.lines];
  const events = [...sim.events];
  const sanitizer = new Sanitizer({ secret: SECRET, gateway: 'kong', host: 'sim', keyParams: [], rawParams: [], truncateIp: false });
  const kong = parsers.kong as NonNullable<(typeof parsers)['kong']>;
  const parsed = lines.map((line) => {
    const raw = kong(line, { maxLineBytes: 65_536, keyHeaders: ['x-api-key'], bearer: true });
    if (isRejection(raw)) throw new Error(`rejected: ${raw}`);
    return sanitizer.toEvent(raw, line);
  });

  it("parse through the agent's Kong parser into valid events, the request's start and id kept", () => {
    expect(parsed.length).toBe(events.length);
    expect(parsed.filter((e) => !validateAccessEvent(e)).slice(0, 2)).toEqual([]);
    expect(parsed.map((e) => e.ts)).toEqual(events.map((e) => e.startMs));
    expect(parsed.map((e) => e.id)).toEqual(events.map((e) => e.requestId));
  });

  it("carry each key's consumer: one consumer_id per key, shared by a consumer's keys and by nothing keyless", () => {
    const consumerOf = new Map<string, Set<string>>();
    for (const e of parsed) {
      if (e.key_id === null) {
        expect(e.context?.consumer_id).toBeUndefined();
        continue;
      }
      const set = consumerOf.get(e.key_id) ?? new Set();
      set.add(e.context?.consumer_id ?? '');
      consumerOf.set(e.key_id, set);
    }
    for (const s of consumerOf.values()) expect([...s]).toHaveLength(1);
    const group = sim.truth.keys.filter((k) => k.persona === 'consumer-scraper');
    expect(group).toHaveLength(5);
    const ids = new Set(group.map((k) => [...(consumerOf.get(computeKeyId(SECRET, k.key)) ?? [])][0]));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('plant the distributed scraper as one group of keys on one /16, each reading its own slice once', () => {
    const members = sim.truth.keys.filter((k) => k.persona === 'distributed-scraper');
    expect(new Set(members.map((k) => k.group))).toEqual(new Set(['distributed-scraper-0']));
    expect(new Set(members.map((k) => (k.attack?.networks[0] ?? '').split('.').slice(0, 2).join('.'))).size).toBe(1);
    const read = new Map<string, number[]>();
    for (const e of events) if (e.abusive && members.some((k) => k.key === e.apiKey)) read.set(e.apiKey, [...(read.get(e.apiKey) ?? []), Number(e.uri.split('/')[3])]);
    const slices = [...read.values()].map((ids) => [Math.min(...ids), Math.max(...ids), ids.length, new Set(ids).size]);
    expect(slices).toHaveLength(5);
    for (const [lo, hi, n, distinct] of slices) {
      expect(distinct).toBe(n);
      expect((hi as number) - (lo as number)).toBeLessThan(6_000);
    }
  });
});
