/**
 * Decoding of event messages: newline-delimited AccessEvents, each checked against the contract.
 * An invalid line is counted and skipped; the rest of the message still counts.
 */
import { validateAccessEvent, type AccessEvent } from '../../contracts/index.js';

export function decodeEvents(payload: string): { events: AccessEvent[]; invalid: number } {
  const events: AccessEvent[] = [];
  let invalid = 0;
  let start = 0;
  while (start < payload.length) {
    let end = payload.indexOf('\n', start);
    if (end < 0) end = payload.length;
    const line = payload.slice(start, end);
    start = end + 1;
    if (line === '') continue;
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      invalid++;
      continue;
    }
    if (validateAccessEvent(e)) events.push(e);
    else invalid++;
  }
  return { events, invalid };
}
