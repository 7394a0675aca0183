/**
 * `lowslow rekey`: carries key profiles over an HMAC secret rotation in two steps, so raw keys
 * and Redis never meet on one machine.
 *   map:   raw keys on stdin, both secrets in the environment → "old_key_id<TAB>new_key_id" lines.
 *   apply: such a map → each key's state moved to its new key_id (and so its new partition).
 * Run apply while no detector runs: a detector holds states in memory and would write the old
 * ones back.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { partitionOf } from '../contracts/index.js';
import { computeKeyId } from '../agent/sanitize/key-id.js';
import type { RedisProfileStore } from '../detector/profiles/redis-store.js';

const KEY_ID = /^[0-9a-f]{32}$/;

export interface MapSummary {
  keys: number;
  skipped: number;
}

/** Writes one map line per distinct raw key read; blank lines are skipped. Never writes a raw key. */
export async function rekeyMap(input: Readable, out: Writable, oldSecret: string, newSecret: string): Promise<MapSummary> {
  const seen = new Set<string>();
  let skipped = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    const raw = line.trim();
    if (raw === '') {
      skipped++;
      continue;
    }
    const from = computeKeyId(oldSecret, raw);
    if (seen.has(from)) continue;
    seen.add(from);
    if (!out.write(`${from}\t${computeKeyId(newSecret, raw)}\n`)) await new Promise<void>((ok) => out.once('drain', () => ok()));
  }
  return { keys: seen.size, skipped };
}

export interface ApplySummary {
  moved: number;
  /** Old key_ids with no stored profile (keys that were never seen). */
  absent: number;
  /** New key_ids that already had a profile: left as they are, the old one kept too. */
  conflicts: number;
  /** Map lines that are not two key_ids. */
  bad: number;
}

/** Moves each mapped key's state; `lines` is the map's text, one pair a line. */
export async function rekeyApply(lines: Iterable<string>, store: RedisProfileStore, partitions: number): Promise<ApplySummary> {
  const s: ApplySummary = { moved: 0, absent: 0, conflicts: 0, bad: 0 };
  for (const line of lines) {
    if (line.trim() === '') continue;
    const [from, to, extra] = line.trim().split('\t');
    if (!from || !to || extra !== undefined || !KEY_ID.test(from) || !KEY_ID.test(to)) {
      s.bad++;
      continue;
    }
    const found = await store.load([from, to]);
    const state = found.get(from);
    if (!state) {
      s.absent++;
      continue;
    }
    if (found.has(to)) {
      s.conflicts++;
      continue;
    }
    await store.save(partitionOf(to, partitions), [{ ...state, key_id: to }], null);
    await store.remove(partitionOf(from, partitions), from);
    s.moved++;
  }
  return s;
}
