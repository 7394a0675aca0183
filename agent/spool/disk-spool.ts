/**
 * Disk spool for batches that cannot reach NATS: append-only segment files, drained oldest first
 * when NATS returns. Each record is [u32 header length][header JSON][u32 payload length][payload].
 * The head position is saved every few hundred ms; a crash while draining republishes at most that
 * much, with the same msgID, which JetStream drops as a duplicate.
 */
import { close, closeSync, fsync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Batch } from '../outputs/batch.js';

const SEGMENT_BYTES = 16 * 1024 * 1024;
const HEAD_SAVE_MS = 250;

interface Head {
  segment: number;
  offset: number;
}

export type SpooledBatch = Pick<Batch, 'partition' | 'payload' | 'count' | 'msgId'>;

export class DiskSpool {
  private segments: number[] = [];
  private writeFd: number | null = null;
  private writeSegment = 0;
  private writeBytes = 0;
  private total = 0;
  private head: Head = { segment: 0, offset: 0 };
  private headCache: { segment: number; records: Array<{ batch: SpooledBatch; end: number }>; index: number } | null = null;
  private headSavedAt = 0;

  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {
    mkdirSync(dir, { recursive: true });
    this.segments = readdirSync(dir)
      .filter((n) => /^seg-\d{12}\.spool$/.test(n))
      .map((n) => Number(n.slice(4, 16)))
      .sort((a, b) => a - b);
    try {
      this.head = JSON.parse(readFileSync(join(dir, 'head.json'), 'utf8')) as Head;
    } catch {
      this.head = { segment: this.segments[0] ?? 0, offset: 0 };
    }
    this.segments = this.segments.filter((s) => s >= this.head.segment);
    for (const s of this.segments) this.total += statSync(this.segPath(s)).size;
    if (this.segments.length > 0 && this.head.segment === this.segments[0]) this.total -= this.head.offset;
    this.writeSegment = (this.segments[this.segments.length - 1] ?? this.head.segment) + 1;
  }

  private segPath(n: number): string {
    return join(this.dir, `seg-${String(n).padStart(12, '0')}.spool`);
  }

  /** Bytes waiting in the spool. */
  get bytes(): number {
    return this.total;
  }

  get empty(): boolean {
    return this.total <= 0;
  }

  /** False when the spool is full: the caller keeps the batch and pauses its inputs. */
  append(b: SpooledBatch): boolean {
    const header = Buffer.from(JSON.stringify({ partition: b.partition, count: b.count, msgId: b.msgId }));
    const payload = Buffer.from(b.payload);
    const size = 8 + header.length + payload.length;
    if (this.total + size > this.maxBytes) return false;
    if (this.writeFd === null || this.writeBytes + size > SEGMENT_BYTES) this.rotate();
    const frame = Buffer.allocUnsafe(size);
    frame.writeUInt32BE(header.length, 0);
    header.copy(frame, 4);
    frame.writeUInt32BE(payload.length, 4 + header.length);
    payload.copy(frame, 8 + header.length);
    writeSync(this.writeFd as number, frame);
    this.writeBytes += size;
    this.total += size;
    return true;
  }

  private rotate(): void {
    if (this.writeFd !== null) {
      // A finished segment is flushed to disk in the background: a synchronous fsync of 16 MiB
      // would stop the event loop (and every input) for as long as a slow disk takes. Its
      // records count as spooled once written (they are in the page cache, safe from a crash of
      // this process either way).
      const fd = this.writeFd;
      fsync(fd, () => close(fd, () => undefined));
    }
    const n = this.writeSegment++;
    this.writeFd = openSync(this.segPath(n), 'a');
    this.writeBytes = 0;
    if (this.segments.length === 0) this.head = { segment: n, offset: 0 };
    this.segments.push(n);
  }

  /** Up to `max` of the oldest batches, without removing them. */
  peek(max: number): SpooledBatch[] {
    const out: SpooledBatch[] = [];
    const c = this.loadHead();
    if (!c) return out;
    for (let i = c.index; i < c.records.length && out.length < max; i++) out.push((c.records[i] as { batch: SpooledBatch }).batch);
    return out;
  }

  /** Removes the `n` oldest batches (they were published). */
  ack(n: number): void {
    for (let k = 0; k < n; k++) {
      const c = this.loadHead();
      if (!c) return;
      const r = c.records[c.index] as { batch: SpooledBatch; end: number };
      this.total -= r.end - this.head.offset;
      this.head.offset = r.end;
      c.index++;
      if (c.index >= c.records.length && c.segment !== this.writeSegment - 1) {
        // A finished segment that is no longer written to: drop it.
        unlinkSync(this.segPath(c.segment));
        this.segments.shift();
        this.head = { segment: this.segments[0] ?? this.writeSegment, offset: 0 };
        this.headCache = null;
      }
    }
    if (this.empty) this.reset();
    const now = Date.now();
    if (now - this.headSavedAt >= HEAD_SAVE_MS || this.empty) this.saveHead(now);
  }

  /** Loads the head segment's records (a segment is at most 16 MiB). */
  private loadHead(): { segment: number; records: Array<{ batch: SpooledBatch; end: number }>; index: number } | null {
    if (this.empty || this.segments.length === 0) return null;
    const seg = this.head.segment;
    if (this.headCache && this.headCache.segment === seg && this.headCache.index < this.headCache.records.length) return this.headCache;
    // Reads see what writeSync wrote (the page cache), flushed to disk or not.
    const buf = readFileSync(this.segPath(seg));
    const records: Array<{ batch: SpooledBatch; end: number }> = [];
    let off = this.head.offset;
    while (off + 8 <= buf.length) {
      const hl = buf.readUInt32BE(off);
      if (off + 4 + hl + 4 > buf.length) break;
      const header = JSON.parse(buf.toString('utf8', off + 4, off + 4 + hl)) as Omit<SpooledBatch, 'payload'>;
      const pl = buf.readUInt32BE(off + 4 + hl);
      const end = off + 8 + hl + pl;
      if (end > buf.length) break; // torn write at a crash: the rest is unreadable
      records.push({ batch: { ...header, payload: buf.toString('utf8', off + 8 + hl, end) }, end });
      off = end;
    }
    if (records.length === 0) {
      // Nothing readable left in this segment.
      if (seg !== this.writeSegment - 1) {
        unlinkSync(this.segPath(seg));
        this.segments.shift();
        this.head = { segment: this.segments[0] ?? this.writeSegment, offset: 0 };
        return this.loadHead();
      }
      this.total = 0;
      return null;
    }
    this.headCache = { segment: seg, records, index: 0 };
    return this.headCache;
  }

  private saveHead(now: number): void {
    this.headSavedAt = now;
    const tmp = join(this.dir, 'head.json.tmp');
    writeFileSync(tmp, JSON.stringify(this.head));
    renameSync(tmp, join(this.dir, 'head.json'));
  }

  /** Everything was drained: start over with fresh segments. */
  private reset(): void {
    if (this.writeFd !== null) closeSync(this.writeFd);
    this.writeFd = null;
    for (const s of this.segments) {
      try {
        unlinkSync(this.segPath(s));
      } catch {
        // already gone
      }
    }
    this.segments = [];
    this.headCache = null;
    this.total = 0;
    this.head = { segment: this.writeSegment, offset: 0 };
  }

  close(): void {
    if (this.writeFd !== null) {
      fsyncSync(this.writeFd);
      closeSync(this.writeFd);
      this.writeFd = null;
    }
    if (this.segments.length > 0) this.saveHead(Date.now());
  }
}
