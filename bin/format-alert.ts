/** Human-readable alert summary for the terminal. */
import type { Alert } from '../contracts/index.js';

export function formatAlert(a: Alert): string {
  const when = `${new Date(a.window.start).toISOString().slice(0, 16)}Z..${new Date(a.window.end).toISOString().slice(11, 16)}Z`;
  const head = `ALERT ${a.severity.toUpperCase()} key_id=${a.key_id} score=${a.score.toFixed(3)} (threshold ${a.threshold}) window ${when} id=${a.id}`;
  const reasons = a.reasons.map((r) => `  - ${r.text}`);
  return [head, ...reasons].join('\n');
}
