import { describe, expect, it } from 'vitest';
import { PartitionBatcher, type Batch } from '../../../agent/outputs/batch.js';

describe('partition batches', () => {
  it('cuts a batch per partition at the batch size and on flush', () => {
    const out: Batch[] = [];
    const b = new PartitionBatcher(3, (x) => out.push(x));
    for (let i = 0; i < 7; i++) b.add(i % 2, `id${i}`, `{"n":${i}}`);
    expect(out.map((x) => [x.partition, x.count])).toEqual([
      [0, 3],
      [1, 3],
    ]);
    expect(b.buffered).toBe(1);
    b.flush();
    expect(out.map((x) => [x.partition, x.count])).toEqual([
      [0, 3],
      [1, 3],
      [0, 1],
    ]);
    expect(Buffer.from(out[0]?.payload ?? '').toString()).toBe('{"n":0}\n{"n":2}\n{"n":4}');
    expect(b.buffered).toBe(0);
  });

  it('derives the msgID from the event ids, so the same events give the same id', () => {
    const ids: string[] = [];
    for (const run of [0, 1]) {
      const b = new PartitionBatcher(2, (x) => ids.push(x.msgId));
      b.add(0, 'a', `x${run}`);
      b.add(0, 'b', `y${run}`);
    }
    expect(ids[0]).toBe(ids[1]);
    const other: string[] = [];
    const b = new PartitionBatcher(2, (x) => other.push(x.msgId));
    b.add(0, 'a', 'x');
    b.add(0, 'c', 'y');
    expect(other[0]).not.toBe(ids[0]);
  });
});


describe('batch bytes', () => {
  it('cuts a batch once it holds batch_max_bytes, whatever the count', () => {
    const out: Batch[] = [];
    const b = new PartitionBatcher(1000, (x) => out.push(x), 20_000);
    const json = `{"pad":"${'x'.repeat(990)}"}`;
    for (let i = 0; i < 50; i++) b.add(0, `id${i}`, json);
    b.flush();
    expect(out.length).toBeGreaterThanOrEqual(3);
    for (const x of out) expect((x.payload as Uint8Array).length).toBeLessThan(20_000 + json.length + 1);
    expect(out.reduce((n, x) => n + x.count, 0)).toBe(50);
    const lines = out.flatMap((x) => Buffer.from(x.payload as Uint8Array).toString().split('\n'));
    expect(lines).toEqual(Array.from({ length: 50 }, () => json));
  });

  it('reuses a payload buffer only after it is recycled, and a cut batch is never written over', () => {
    const out: Batch[] = [];
    const b = new PartitionBatcher(2, (x) => out.push(x));
    b.add(0, 'a', '{"n":1}');
    b.add(0, 'b', '{"n":2}');
    const first = out[0] as Batch;
    b.add(0, 'c', '{"n":3}');
    b.add(0, 'd', '{"n":4}');
    // Not recycled: the second batch has its own bytes and the first is intact.
    expect(Buffer.from(first.payload as Uint8Array).toString()).toBe('{"n":1}\n{"n":2}');
    expect((out[1]?.payload as Uint8Array).buffer).not.toBe((first.payload as Uint8Array).buffer);
    b.recycle(first);
    b.add(0, 'e', '{"n":5}');
    b.add(0, 'f', '{"n":6}');
    b.add(0, 'g', '{"n":7}');
    b.add(0, 'h', '{"n":8}');
    expect(Buffer.from(out[1]?.payload as Uint8Array).toString()).toBe('{"n":3}\n{"n":4}');
    expect(Buffer.from(out[3]?.payload as Uint8Array).toString()).toBe('{"n":7}\n{"n":8}');
    // The recycled buffer carries a later batch.
    expect(out.slice(2).some((x) => (x.payload as Uint8Array).buffer === (first.payload as Uint8Array).buffer)).toBe(true);
  });
});
