/** Subject names and the partition function (DESIGN.md: Subjects). Tokens come from config only. */

/** FNV-1a 32-bit over the UTF-8 bytes of an ASCII string (key_id is hex, so chars are bytes). */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5 | 0;
  // Math.imul is multiplication mod 2^32, so the hash stays a signed 32-bit integer in the loop
  // and becomes unsigned once, at the end.
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ (s.charCodeAt(i) & 0xff), 0x01000193);
  return h >>> 0;
}

/** Partition of a key; events without a key all go to partition 0. */
export function partitionOf(keyId: string | null, partitions: number): number {
  return keyId === null ? 0 : fnv1a32(keyId) % partitions;
}

/**
 * Partition an event is published on: its key's, so one detector owns all of a key's events.
 * An event without a key belongs to no profile (detectors only count it), so it goes by its
 * own id instead: spread over every partition, the same one each time the line is read, rather
 * than all unkeyed traffic queueing behind one partition's acknowledgements.
 */
export function eventPartition(keyId: string | null, eventId: string, partitions: number): number {
  return fnv1a32(keyId ?? eventId) % partitions;
}

export const eventSubject = (partition: number, gateway: string, host: string): string =>
  `lowslow.events.p${partition}.${gateway}.${host}`;

export const eventPartitionFilter = (partition: number): string => `lowslow.events.p${partition}.>`;

export const alertSubject = (severity: string, gateway: string): string => `lowslow.alerts.${severity}.${gateway}`;

export const EVENTS_SUBJECTS = 'lowslow.events.>';
export const ALERTS_SUBJECTS = 'lowslow.alerts.>';
