import { describe, expect, it } from 'vitest';
import { eventPartition } from '../../../contracts/index.js';
import { Partitioner } from '../../../agent/outputs/partitioner.js';
import { computeKeyId } from '../../../agent/sanitize/key-id.js';

describe('partitioner', () => {
  it('gives every event the contract partition, for keys seen again, past its bound, and without a key', () => {
    const p = new Partitioner(7);
    const keys = Array.from({ length: 12_000 }, (_, i) => computeKeyId('secret', `key-${i}`));
    const seen = new Set<number>();
    // Twice over more keys than it remembers: cached answers, answers after the map started over.
    for (const round of [0, 1]) {
      for (const [i, k] of keys.entries()) {
        const got = p.of(k, `id-${round}-${i}`);
        expect(got).toBe(eventPartition(k, `id-${round}-${i}`, 7));
        seen.add(got);
      }
    }
    expect(seen.size).toBe(7);
    for (let i = 0; i < 100; i++) expect(p.of(null, `unkeyed-${i}`)).toBe(eventPartition(null, `unkeyed-${i}`, 7));
  });
});
