import { describe, expect, it } from 'vitest';
import { decodeState, encodeState } from '../../../../detector/profiles/redis-store.js';
import { newProfile, type KeyState } from '../../../../detector/profiles/key-state.js';

describe('stored key state', () => {
  const state: KeyState = { key_id: 'ab'.repeat(16), profile: newProfile(1_794_000_000_000), window: null };

  it('stores a small state as its JSON, and a large one deflated, reading both back exactly', () => {
    const small = encodeState(state);
    expect(small.toString('utf8')).toBe(JSON.stringify(state));
    expect(decodeState(small)).toEqual(state);
    const large: KeyState = structuredClone(state);
    large.profile.routes = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`/v1/route-${i}/{int}`, i * 1.5]));
    const bytes = encodeState(large);
    expect(decodeState(bytes)).toEqual(large);
    expect(bytes.length).toBeLessThan(JSON.stringify(large).length / 2);
  });

  it('still reads a state stored as plain JSON by an earlier version', () => {
    expect(decodeState(Buffer.from(JSON.stringify(state)))).toEqual(state);
  });
});
