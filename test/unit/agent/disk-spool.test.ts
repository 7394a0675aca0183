import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiskSpool } from '../../../agent/spool/disk-spool.js';

const batch = (i: number) => ({ partition: i % 3, payload: `{"n":${i}}\n{"m":"${'x'.repeat(i % 50)}"}`, count: 2, msgId: `m${i}` });

describe('disk spool', () => {
  it('gives batches back oldest first, across segments and a reopen, and removes them when acknowledged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lowslow-spool-'));
    const s = new DiskSpool(dir, 1 << 30);
    expect(s.empty).toBe(true);
    for (let i = 0; i < 100; i++) expect(s.append(batch(i))).toBe(true);
    expect(s.peek(3).map((b) => b.msgId)).toEqual(['m0', 'm1', 'm2']);
    s.ack(2);
    s.close();
    // A restart finds what was not acknowledged, in order, byte for byte.
    const again = new DiskSpool(dir, 1 << 30);
    expect(again.empty).toBe(false);
    const got: string[] = [];
    while (!again.empty) {
      const b = again.peek(7);
      if (b.length === 0) break;
      for (const x of b) {
        got.push(x.msgId);
        expect(x).toEqual(batch(Number(x.msgId.slice(1))));
      }
      again.ack(b.length);
    }
    expect(got).toEqual(Array.from({ length: 98 }, (_, i) => `m${i + 2}`));
    expect(again.bytes).toBe(0);
    expect(readdirSync(dir).filter((n) => n.endsWith('.spool'))).toEqual([]);
  });

  it('refuses a batch when full, and takes more once drained', () => {
    const s = new DiskSpool(mkdtempSync(join(tmpdir(), 'lowslow-spool-')), 1_048_576);
    const big = { partition: 0, payload: 'y'.repeat(300_000), count: 1, msgId: 'big' };
    expect(s.append(big)).toBe(true);
    expect(s.append(big)).toBe(true);
    expect(s.append(big)).toBe(true);
    expect(s.append(big)).toBe(false);
    s.ack(1);
    expect(s.append(big)).toBe(true);
  });

  it('rotates 16 MiB segments while it is drained, reads the segment being written, and keeps order over a reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lowslow-spool-'));
    const s = new DiskSpool(dir, 1 << 30);
    // 1 MiB batches, each filled with its own number: 40 of them span three segments.
    const mib = (i: number) => ({ partition: i % 4, payload: `${String(i).padStart(8, '0')}`.repeat(131_072), count: 1, msgId: `b${i}` });
    const got: string[] = [];
    for (let i = 0; i < 40; i++) {
      expect(s.append(mib(i))).toBe(true);
      // Drain as it fills, as the agent does when NATS comes back: the head is often the segment still being written.
      if (i % 3 === 2) {
        const b = s.peek(2);
        for (const x of b) {
          expect(x).toEqual(mib(Number(x.msgId.slice(1))));
          got.push(x.msgId);
        }
        s.ack(b.length);
      }
    }
    expect(readdirSync(dir).filter((n) => n.endsWith('.spool')).length).toBeGreaterThanOrEqual(2);
    s.close();
    const again = new DiskSpool(dir, 1 << 30);
    while (!again.empty) {
      const b = again.peek(5);
      if (b.length === 0) break;
      for (const x of b) {
        expect(x).toEqual(mib(Number(x.msgId.slice(1))));
        got.push(x.msgId);
      }
      again.ack(b.length);
    }
    expect(got).toEqual(Array.from({ length: 40 }, (_, i) => `b${i}`));
    expect(readdirSync(dir).filter((n) => n.endsWith('.spool'))).toEqual([]);
  });
});
