/** One line that says what an alert is, for the `message` of every SIEM format. */
import type { Alert } from '../../contracts/index.js';

const utc = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

export function alertSummary(a: Alert): string {
  const reasons = a.reasons.map((r) => r.text).join('; ');
  return (
    `${a.severity.toUpperCase()} lowslow alert: API key ${a.key_id} on ${a.source.gateway} scored ${a.score} over threshold ${a.threshold} ` +
    `in the window ${utc(a.window.start)}–${utc(a.window.end)} UTC${reasons ? `: ${reasons}` : ''}`
  );
}

/** ISO 8601 in UTC with milliseconds, as ECS and most SIEMs parse dates. */
export const iso = (ms: number) => new Date(ms).toISOString();
