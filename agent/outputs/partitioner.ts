/**
 * Each event's partition, contracts' eventPartition, from the key_id's FNV-1a hash when the key-id
 * cache gave it along with the key_id: the 32 characters are not hashed again for every line.
 */
import { eventPartition } from '../../contracts/core.js';

/** `keyHash`: fnv1a32(keyId) when the caller has it, else -1. */
export function partitionOf(keyId: string | null, eventId: string, partitions: number, keyHash: number): number {
  return keyId !== null && keyHash >= 0 ? keyHash % partitions : eventPartition(keyId, eventId, partitions);
}
