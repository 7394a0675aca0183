/**
 * Collects serialized events per partition into batches: one NATS message per batch (DESIGN.md:
 * one JetStream publish per event tops out near 21k/s, batches of a few hundred reach ~210k/s).
 */

export interface Batch {
  partition: number;
  /** Newline-delimited AccessEvents. */
  payload: string;
  count: number;
  /**
   * Nats-Msg-Id: derived from the event ids (two 32-bit FNV-1a hashes, the count and the first id),
   * so a retried publish of the same events is deduplicated by JetStream.
   */
  msgId: string;
  /** Smallest input sequence number in the batch: nothing before it is durable until it is. */
  minSeq: number;
}

interface Open {
  lines: string[];
  h1: number;
  h2: number;
  first: string;
  minSeq: number;
}

export class PartitionBatcher {
  private readonly open = new Map<number, Open>();

  constructor(
    private readonly batchSize: number,
    private readonly emit: (batch: Batch) => void,
  ) {}

  add(partition: number, eventId: string, json: string, seq = 0): void {
    let o = this.open.get(partition);
    if (o === undefined) {
      o = { lines: [], h1: 0x811c9dc5, h2: 0x01000193, first: eventId, minSeq: seq };
      this.open.set(partition, o);
    }
    o.lines.push(json);
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
    if (o.lines.length >= this.batchSize) this.flushPartition(partition, o);
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
    for (const o of this.open.values()) n += o.lines.length;
    return n;
  }

  private flushPartition(partition: number, o: Open): void {
    this.open.delete(partition);
    this.emit({
      partition,
      payload: o.lines.join('\n'),
      count: o.lines.length,
      msgId: `${(o.h1 >>> 0).toString(16)}${(o.h2 >>> 0).toString(16)}-${o.lines.length}-${o.first.slice(0, 48)}`,
      minSeq: o.minSeq,
    });
  }
}
