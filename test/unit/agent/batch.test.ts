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

