/**
 * The cheap contract check for sanitizer output. Every string, array and enum of an AccessEvent
 * built by the Sanitizer is bounded by construction (patterns, slices, allow-lists, counted
 * loops; a key_id or request id from the record is taken only in its contract shape), and its
 * source tokens come from config and are checked once with the full validator when the pipeline
 * starts. What a log line can still push out of the contract are the numbers (a latency larger
 * than the end time gives a negative start, a byte count can be 1e400), so only those are checked
 * per event instead of running the full AccessEvent validator on every line;
 * test/unit/agent/published-events.test.ts holds this check to that validator on hostile and
 * random records.
 */
import type { AccessEvent } from '../../contracts/index.js';

const count = (n: number): boolean => Number.isInteger(n) && n >= 0;

/** True when the numbers of a sanitizer-built event are inside AccessEvent v1. */
export function numbersInContract(e: AccessEvent): boolean {
  const s = e.response;
  return (
    count(e.ts) &&
    count(e.request.bytes) &&
    count(s.bytes) &&
    Number.isInteger(s.status) &&
    s.status >= 0 &&
    s.status <= 999 &&
    Number.isFinite(s.latency_ms) &&
    s.latency_ms >= 0
  );
}

/**
 * Event time beyond the host's clock by more than this is no request time but a broken or forged
 * line (`"time":"1e20"`): it would move a detector partition's event time years ahead, where every
 * later event is late and dropped. Such lines are rejected as `bad_time`; past times are fine
 * (replays, late files).
 */
export const MAX_AHEAD_MS = 24 * 3600 * 1000;
