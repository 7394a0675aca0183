/**
 * Collects serialized events per partition into batches: one NATS message per batch (DESIGN.md:
 * one JetStream publish per event tops out near 21k/s, batches of a few hundred reach ~210k/s).
 * Each event's JSON is written as UTF-8 straight into the partition's buffer, so a batch is never
 * an array of strings joined and then encoded again by the NATS client.
 */
import type { AccessEvent } from '../../contracts/index.js';
import { writeEvent } from './event-json.js';
import { JsonBytes } from './json-bytes.js';

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
const INITIAL_BYTES = 256 * 1024;
/** Buffers of published batches kept for the next ones (each partition needs one at a time). */
const MAX_SPARE = 64;

interface Open {
  out: JsonBytes;
  count: number;
  h1: number;
  h2: number;
  first: string;
  minSeq: number;
}

export class PartitionBatcher {
  private readonly open = new Map<number, Open>();
  /** Each partition's writer, kept between batches. */
  private readonly writers = new Map<number, JsonBytes>();
  /**
   * Buffers handed out as payloads and given back once published: a batch's bytes are its
   * writer's buffer itself, not a copy, and a fresh ArrayBuffer per batch would make V8 run a
   * full GC every few hundred milliseconds for the external memory alone.
   */
  private readonly spare: Buffer[] = [];

  /**
   * @param batchSize events per batch at most
   * @param maxBytes a batch is cut once it holds this many bytes (one event may go past it), so
   *   it stays below the server's max_payload
   */
  constructor(
    private readonly batchSize: number,
    private readonly emit: (batch: Batch) => void,
    private readonly maxBytes = 512 * 1024,
  ) {}

  /**
   * The payload of a batch JetStream acknowledged, back for reuse. Only then: a batch that timed
   * out may still sit in the NATS client's outbound buffer, to be sent after a reconnect.
   */
  recycle(batch: Batch): void {
    const p = batch.payload;
    if (typeof p === 'string' || this.spare.length >= MAX_SPARE || p.byteOffset !== 0 || p.buffer.byteLength < INITIAL_BYTES) return;
    this.spare.push(Buffer.from(p.buffer as ArrayBuffer));
  }

  /** A sanitizer-built event, written as JSON straight into its partition's batch. */
  addEvent(partition: number, event: AccessEvent, seq = 0): void {
    const o = this.begin(partition, event.id, seq);
    writeEvent(o.out, event);
    this.end(partition, o, event.id);
  }

  /** An event already serialized (pre-built events from gateway plugins). */
  add(partition: number, eventId: string, json: string, seq = 0): void {
    const o = this.begin(partition, eventId, seq);
    const out = o.out;
    // At most 3 bytes per UTF-16 unit: never a partial write.
    out.reserve(3 * json.length);
    out.pos += out.buf.write(json, out.pos, 'utf8');
    this.end(partition, o, eventId);
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

  private begin(partition: number, eventId: string, seq: number): Open {
    let o = this.open.get(partition);
    if (o === undefined) {
      let out = this.writers.get(partition);
      if (out === undefined) {
        out = new JsonBytes(INITIAL_BYTES);
        this.writers.set(partition, out);
      }
      out.pos = 0;
      o = { out, count: 0, h1: 0x811c9dc5, h2: 0x01000193, first: eventId, minSeq: seq };
      this.open.set(partition, o);
    } else {
      o.out.reserve(1);
      o.out.buf[o.out.pos++] = 10;
    }
    return o;
  }

  private end(partition: number, o: Open, eventId: string): void {
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
    if (o.count >= this.batchSize || o.out.pos >= this.maxBytes) this.flushPartition(partition, o);
  }

  private flushPartition(partition: number, o: Open): void {
    this.open.delete(partition);
    const out = o.out;
    const payload = out.buf.subarray(0, out.pos);
    out.use(this.spare.pop() ?? Buffer.allocUnsafe(Math.max(INITIAL_BYTES, out.buf.length)));
    out.pos = 0;
    this.emit({
      partition,
      payload,
      count: o.count,
      msgId: `${(o.h1 >>> 0).toString(16)}${(o.h2 >>> 0).toString(16)}-${o.count}-${o.first.slice(0, 48)}`,
      minSeq: o.minSeq,
    });
  }
}
