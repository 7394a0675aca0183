/**
 * Slack incoming webhook: one readable message (severity, key, gateway, score, window, status,
 * and the reasons in plain language), escaped as Slack's mrkdwn requires.
 */
import type { Alert } from '../../../contracts/index.js';
import type { WebhookRequest } from './index.js';

const ICON = { low: ':large_blue_circle:', medium: ':large_yellow_circle:', high: ':large_orange_circle:', critical: ':red_circle:' } as const;

/** Slack wants &, < and > escaped in text; everything else passes. */
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const utc = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;

export function slackText(a: Alert): string {
  const status = a.status === 'open' ? '' : ` — *${a.status.replace('_', ' ')}*`;
  const c = a.campaign;
  const subject = c
    ? `${c.consumer_id !== undefined ? `consumer \`${c.consumer_id}\`` : `campaign \`${c.id}\``}, ${c.members.length} keys`
    : `key \`${a.key_id}\``;
  const lines = [
    `${ICON[a.severity]} *${a.severity.toUpperCase()}* lowslow alert${status}: ${subject} on ${esc(a.source.gateway)} (score ${a.score} over threshold ${a.threshold})`,
    `window ${utc(a.window.start)} – ${utc(a.window.end)} UTC, ${a.evidence.requests} requests, ${a.evidence.distinct_objects} distinct objects`,
    ...a.reasons.map((r) => `• ${esc(r.text)}`),
  ];
  if (c) {
    for (const m of c.members.slice(0, 10)) lines.push(`  ◦ key \`${m.key_id}\`${c.route ? ` ${pct(m.share)} of ${esc(c.route)}` : ''}${m.networks.length ? ` from ${esc(m.networks.slice(0, 2).join(', '))}` : ''}`);
    if (c.members.length > 10) lines.push(`  ◦ and ${c.members.length - 10} more keys`);
  }
  if (a.feedback) lines.push(`verdict: ${a.feedback.verdict.replace('_', ' ')}${a.feedback.note ? ` — ${esc(a.feedback.note)}` : ''}`);
  lines.push(`alert ${a.id}`);
  return lines.join('\n');
}

export function slack(alert: Alert): WebhookRequest {
  return { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: slackText(alert) }) };
}
