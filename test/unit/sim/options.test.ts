import { describe, expect, it } from 'vitest';
import { DEFAULT_ATTACKS, parseAttackMix, resolveOptions } from '../../sim/options.js';
import { ATTACK_KINDS } from '../../sim/personas/index.js';
import { simulate } from '../../sim/simulate.js';

describe('simulator options', () => {
  it('default to the classic population, the four classic attacks, no drift and no spread', () => {
    const opts = resolveOptions();
    expect(opts.population).toBe('classic');
    expect(opts.driftDay).toBeNull();
    expect(opts.attackSpread).toBe(1);
    expect(Object.entries(opts.attacks).filter(([, n]) => n > 0).map(([k]) => k).sort()).toEqual(
      ['deep-pager', 'new-key-scraper', 'shared-key', 'slow-scraper'],
    );
    expect(opts.attacks).toEqual(DEFAULT_ATTACKS);
  });

  it('put the drift in the middle of an extended run unless told otherwise', () => {
    expect(resolveOptions({ population: 'extended', days: 21 }).driftDay).toBe(10);
    expect(resolveOptions({ population: 'extended', days: 21, driftDay: null }).driftDay).toBeNull();
    expect(resolveOptions({ population: 'classic', driftDay: 2 }).driftDay).toBe(2);
  });

  it('parse "all", counts, and kinds listed twice adding up', () => {
    const mix = parseAttackMix('all:2,slow-scraper,volume-matched-scraper:3');
    for (const kind of ATTACK_KINDS) {
      expect(mix[kind]).toBe(kind === 'slow-scraper' ? 3 : kind === 'volume-matched-scraper' ? 5 : 2);
    }
    expect(Object.values(parseAttackMix('none')).every((n) => n === 0)).toBe(true);
    expect(parseAttackMix('bola-prober')).toMatchObject({ 'bola-prober': 1, 'slow-scraper': 0 });
  });

  it('reject bad values, naming the option', () => {
    expect(() => parseAttackMix('ddos')).toThrow(/--attacks/);
    expect(() => parseAttackMix('all:x')).toThrow(/--attacks/);
    expect(() => resolveOptions({ population: 'huge' as 'classic' })).toThrow(/--population/);
    expect(() => resolveOptions({ days: 7, driftDay: 7 })).toThrow(/--drift-day/);
    expect(() => resolveOptions({ days: 7, attackDay: 3, attackSpread: 5 })).toThrow(/--attack-spread/);
    expect(() => simulate({ keys: 12, attacks: parseAttackMix('all:2') })).toThrow(/--keys/);
  });
});

describe('truth of an extended run', () => {
  const { truth } = simulate({ days: 4, keys: 60, population: 'extended', driftDay: 1, attackDay: 1, attacks: parseAttackMix('all') });

  it('records the population, the drift and the new options', () => {
    expect(truth.options).toMatchObject({ population: 'extended', drift_day: 1, attack_spread: 1 });
    expect(truth.drift).toMatchObject({ day: 1, agent_upgrade_day_ms: truth.window.start_ms + 3 * 86_400_000 });
    expect(truth.drift!.v2_routes).toContainEqual({ from: '/v1/customers/{int}', to: '/v2/customers/{int}' });
  });

  it('names every attack kind once, each with its base persona, and each key\'s time zone where it has one', () => {
    const abusive = truth.keys.filter((k) => k.abusive);
    expect(abusive.map((k) => k.persona).sort()).toEqual([...ATTACK_KINDS].sort());
    expect(abusive.find((k) => k.persona === 'night-export')?.base_persona).toBe('back-office');
    expect(abusive.find((k) => k.persona === 'new-key-scraper')?.base_persona).toBeNull();
    for (const k of truth.keys) {
      if (k.persona === 'nightly-batch' || k.persona === 'new-key-scraper') expect(k.tz_offset_min).toBeNull();
      else expect(typeof k.tz_offset_min).toBe('number');
    }
  });
});
