/**
 * Each event's partition (contracts' eventPartition), with the answer for recent key_ids kept:
 * the key-id cache hands out the same string for a key every time, and V8 keeps a string's hash
 * with it, so a lookup here costs less than hashing the key_id's 32 characters again.
 */
import { eventPartition } from '../../contracts/core.js';

/** Key_ids remembered; past this the map starts over (memory stays bounded). */
const MAX_KEYS = 10_000;

export class Partitioner {
  private readonly byKey = new Map<string, number>();

  constructor(private readonly partitions: number) {}

  of(keyId: string | null, eventId: string): number {
    if (keyId === null) return eventPartition(null, eventId, this.partitions);
    let p = this.byKey.get(keyId);
    if (p === undefined) {
      p = eventPartition(keyId, eventId, this.partitions);
      if (this.byKey.size >= MAX_KEYS) this.byKey.clear();
      this.byKey.set(keyId, p);
    }
    return p;
  }
}
