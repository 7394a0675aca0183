import { describe, expect, it } from 'vitest';
import { eventPartition } from '../../../contracts/index.js';
import { partitionOf } from '../../../agent/outputs/partitioner.js';
import { Sanitizer } from '../../../agent/sanitize/index.js';
import type { RawRecord } from '../../../agent/parsers/index.js';

const record = (over: Partial<RawRecord>): RawRecord => ({
  requestId: 'req-00000001', ts: 1, ip: '10.0.0.1', method: 'GET', path: '/v1/a/1', query: '', status: 200,
  requestBytes: 1, responseBytes: 1, latencyMs: 1, userAgent: 'ua', apiKey: null, keyId: null, ...over,
});

describe('partition of an event', () => {
  it('is the contract partition, from the hash the key cache keeps, for a gateway key_id and without a key', () => {
    const s = new Sanitizer({ secret: 'partition-secret-0123', gateway: 'nginx', host: 'h', keyParams: ['api_key'], rawParams: [], truncateIp: false });
    const seen = new Set<number>();
    for (let i = 0; i < 3000; i++) {
      // Raw keys in a header or the query (the key cache), key_ids the gateway computed, no key.
      const kind = i % 4;
      const raw =
        kind === 0 ? record({ apiKey: `key-${i % 500}` })
        : kind === 1 ? record({ query: `api_key=key-${i % 300}&page=2` })
        : kind === 2 ? record({ keyId: (i * 2654435761 >>> 0).toString(16).padStart(32, 'a').slice(0, 32) })
        : record({ requestId: `unkeyed-${i}` });
      const e = s.toEvent(raw, `line ${i}`);
      expect(s.keyHash >= 0, `kind ${kind}`).toBe(kind < 2);
      for (const partitions of [1, 7, 8, 64]) {
        const got = partitionOf(e.key_id, e.id, partitions, s.keyHash);
        expect(got).toBe(eventPartition(e.key_id, e.id, partitions));
        if (partitions === 7) seen.add(got);
      }
    }
    expect(seen.size).toBe(7);
  });
});
