import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { consumerIdOf } from '../../../agent/sanitize/consumer.js';
import { fnv1a32 } from '../../../contracts/index.js';
import { computeKeyId, HashCache, KeyIdCache } from '../../../agent/sanitize/key-id.js';

const { vectors, consumer_vectors: consumerVectors } = JSON.parse(readFileSync(new URL('../../../gateway-plugins/test-vectors/key-id.json', import.meta.url), 'utf8')) as {
  vectors: Array<{ secret: string; key: string; key_id: string }>;
  consumer_vectors: Array<{ secret: string; consumer: string; consumer_id: string }>;
};

/** A cache whose hash is `h(input)` and which records every input it computes. */
function countingCache(max: number): { calls: string[]; cache: HashCache } {
  const calls: string[] = [];
  const cache = new HashCache((s) => {
    calls.push(s);
    return `h(${s})`;
  }, max);
  return { calls, cache };
}

describe('key_id', () => {
  it.each(vectors.map((v) => [v.key, v]))('matches the shared test vector for %j', (_k, v) => {
    expect(computeKeyId(v.secret, v.key)).toBe(v.key_id);
  });

  it.each(consumerVectors.map((v) => [v.consumer, v]))('consumer_id matches the shared consumer vector for %j', (_c, v) => {
    expect(consumerIdOf(v.secret, v.consumer)).toBe(v.consumer_id);
    expect(consumerIdOf(v.secret, v.consumer)).not.toBe(computeKeyId(v.secret, v.consumer));
  });

  it('is 32 lowercase hex characters and depends on the secret', () => {
    const a = computeKeyId('secret-number-one-000', 'k');
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(computeKeyId('secret-number-two-000', 'k')).not.toBe(a);
  });

  it('the cache answers what the HMAC answers, across generations', () => {
    const cache = new KeyIdCache('cache-secret-0123456', 4);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 10; i++) {
        const id = computeKeyId('cache-secret-0123456', `key-${i}`);
        expect(cache.get(`key-${i}`)).toEqual({ id, hash: fnv1a32(id) });
      }
    }
  });

  it('the cache keeps long, Latin-1, non-Latin-1 and lone-surrogate keys as they are', () => {
    const { calls, cache } = countingCache(100);
    const keys = ['sk_live_0123456789abcdef', 'clé-secrète-ÿ-0123', 'ключ-секрет-0123456', `\ud800lone-surrogate-key`, `pair-\ud83d\ude00-key-0123`];
    // Each key as a slice of a longer text, as parsers hand them over, then as a fresh equal string.
    for (const k of keys) expect(cache.get(`«${k}»`.slice(1, -1))).toBe(`h(${k})`);
    for (const k of keys) expect(cache.get([...k].join(''))).toBe(`h(${k})`);
    expect(calls).toEqual(keys);
  });

  it('the cache computes each input once while it is remembered, and stays bounded', () => {
    const { calls, cache } = countingCache(3);
    for (let round = 0; round < 3; round++) for (const s of ['a', 'b', 'c']) expect(cache.get(s)).toBe(`h(${s})`);
    expect(calls).toEqual(['a', 'b', 'c']);
    for (let i = 0; i < 20; i++) expect(cache.get(`x${i}`)).toBe(`h(x${i})`);
    // 'a' fell out of both generations and is computed again.
    expect(cache.get('a')).toBe('h(a)');
    expect(calls.filter((s) => s === 'a')).toHaveLength(2);
  });
});
