/**
 * Collects serialized events per partition into batches: one NATS message per batch (DESIGN.md:
 * one JetStream publish per event tops out near 21k/s, batches of a few hundred reach ~210k/s).
 * Each event's JSON is written as UTF-8 straight into the partition's buffer, so a batch is never
 * an array of strings joined and then encoded again by the NATS client.
 */

export interface Batch {
  partition: number;
  /** Newline-delimited AccessEvents, UTF-8 (a string when read back from the spool). */
  payload: Uint8Array | string;
  count: number;
  /**
   * Nats-Msg-Id: derived from the event ids (two 32-bit FNV-1a hashes, the count and the first id),
   * so a retried publish of the same events is deduplicated by JetStream.
   */
  msgId: string;
  /** Smallest input sequence number in the batch: nothing before it is durable until it is. */
  minSeq: number;
}

/** First size of a partition's buffer; it doubles when a batch needs more. */
const INITIAL_BYTES = 64 * 1024;

interface Open {
  buf: Buffer;
  bytes: number;
  count: number;
  h1: number;
  h2: number;
  first: string;
  minSeq: number;
}

export class PartitionBatcher {
  private readonly open = new Map<number, Open>();
  /** Each partition's write buffer, kept between batches; a cut batch gets its own exact copy. */
  private readonly buffers = new Map<number, Buffer>();

  constructor(
    private readonly batchSize: number,
    private readonly emit: (batch: Batch) => void,
  ) {}

  add(partition: number, eventId: string, json: string, seq = 0): void {
    let o = this.open.get(partition);
    if (o === undefined) {
      o = { buf: this.buffers.get(partition) ?? Buffer.allocUnsafe(INITIAL_BYTES), bytes: 0, count: 0, h1: 0x811c9dc5, h2: 0x01000193, first: eventId, minSeq: seq };
      this.open.set(partition, o);
    }
    // At most 3 bytes per UTF-16 unit, plus the newline: never a partial write.
    if (o.bytes + 3 * json.length + 1 > o.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(2 * o.buf.length, o.bytes + 3 * json.length + 1));
      o.buf.copy(grown, 0, 0, o.bytes);
      o.buf = grown;
    }
    if (o.count > 0) o.buf[o.bytes++] = 10;
    o.bytes += o.buf.write(json, o.bytes, 'utf8');
    o.count++;
    let h1 = o.h1;
    let h2 = o.h2;
    for (let i = 0; i < eventId.length; i++) {
      const c = eventId.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    // A separator, so ids "ab","c" and "a","bc" differ.
    o.h1 = Math.imul(h1 ^ 10, 0x01000193);
    o.h2 = Math.imul(h2 ^ 10, 0x5bd1e995);
    if (o.count >= this.batchSize) this.flushPartition(partition, o);
  }

  /** Emits every open batch. */
  flush(): void {
    for (const [p, o] of this.open) this.flushPartition(p, o);
  }

  /** Smallest sequence number still in an open batch (Infinity when none). */
  minOpenSeq(): number {
    let min = Infinity;
    for (const o of this.open.values()) if (o.minSeq < min) min = o.minSeq;
    return min;
  }

  get buffered(): number {
    let n = 0;
    for (const o of this.open.values()) n += o.count;
    return n;
  }

  private flushPartition(partition: number, o: Open): void {
    this.open.delete(partition);
    this.buffers.set(partition, o.buf);
    this.emit({
      partition,
      payload: Uint8Array.prototype.slice.call(o.buf, 0, o.bytes),
      count: o.count,
      msgId: `${(o.h1 >>> 0).toString(16)}${(o.h2 >>> 0).toString(16)}-${o.count}-${o.first.slice(0, 48)}`,
      minSeq: o.minSeq,
    });
  }
}
