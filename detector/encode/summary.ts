/** One line that says what an alert is, for the `message` of every SIEM format. */
import type { Alert } from '../../contracts/index.js';

const utc = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** What the alert is about: the API key, or a campaign and its member keys. */
export function alertSubjectText(a: Alert): string {
  const c = a.campaign;
  if (!c) return `API key ${a.key_id}`;
  const keys = c.members.slice(0, 5).map((m) => m.key_id).join(', ');
  const more = c.members.length > 5 ? ` and ${c.members.length - 5} more` : '';
  const who = c.consumer_id !== undefined ? `consumer ${c.consumer_id}` : `campaign ${c.id}`;
  return `${who}: ${c.members.length} API keys (${keys}${more})`;
}

export function alertSummary(a: Alert): string {
  const reasons = a.reasons.map((r) => r.text).join('; ');
  return (
    `${a.severity.toUpperCase()} lowslow alert: ${alertSubjectText(a)} on ${a.source.gateway} scored ${a.score} over threshold ${a.threshold} ` +
    `in the window ${utc(a.window.start)}–${utc(a.window.end)} UTC${reasons ? `: ${reasons}` : ''}`
  );
}

/** ISO 8601 in UTC with milliseconds, as ECS and most SIEMs parse dates. */
export const iso = (ms: number) => new Date(ms).toISOString();
