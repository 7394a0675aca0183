import { describe, expect, it } from 'vitest';
import { parseAttackMix } from '../../sim/options.js';
import { simulate } from '../../sim/simulate.js';

const small = { days: 2, keys: 12, attackDay: 1 };

function text(seed: number): string {
  return [...simulate({ ...small, seed }).lines].join('\n');
}

describe('simulator determinism', () => {
  it('gives byte-identical output for the same seed and options', () => {
    const a = text(7);
    expect(a.length).toBeGreaterThan(10_000);
    expect(text(7)).toBe(a);
  });

  it('gives different output for a different seed', () => {
    expect(text(8)).not.toBe(text(7));
  });

  it('gives different keys for a different seed', () => {
    const a = simulate({ ...small, seed: 7 }).truth.keys.map((k) => k.key);
    const b = simulate({ ...small, seed: 8 }).truth.keys.map((k) => k.key);
    expect(a.filter((k) => b.includes(k))).toEqual([]);
  });

  it('regenerates the same lines each time the iterable is read', () => {
    const sim = simulate({ ...small, seed: 3 });
    expect([...sim.lines]).toEqual([...sim.lines]);
  });

  it('yields events in the same order and with the same ids as the lines', () => {
    const sim = simulate({ ...small, seed: 3 });
    const ids = [...sim.events].map((e) => e.requestId);
    expect([...sim.lines].map((l) => (JSON.parse(l) as { request_id: string }).request_id)).toEqual(ids);
  });

  it('gives byte-identical output for the extended population with drift and every attack kind', () => {
    const extended = { days: 3, keys: 60, population: 'extended', driftDay: 1, attackDay: 1, attackSpread: 2, attacks: parseAttackMix('all:2') } as const;
    const a = [...simulate({ ...extended, seed: 4 }).lines].join('\n');
    expect(a.length).toBeGreaterThan(100_000);
    expect([...simulate({ ...extended, seed: 4 }).lines].join('\n')).toBe(a);
    expect([...simulate({ ...extended, seed: 5 }).lines].join('\n')).not.toBe(a);
  });

  it('rejects a start that is not a UTC midnight, naming the option', () => {
    expect(() => simulate({ start: '2026-11-02T05:00:00Z' })).toThrow(/--start/);
  });

  it('rejects an attack day outside the window, naming the option', () => {
    expect(() => simulate({ days: 3, attackDay: 3 })).toThrow(/--attack-day/);
  });
});
