/**
 * How the API shows a target: never its secret (a fingerprint at most), never a URL's query string
 * or credentials, and for Slack, whose URL path is itself the secret, only the origin.
 */
import { createHash } from 'node:crypto';
import type { OutboxStatus } from './outbox.js';
import type { WebhookTarget } from './target.js';

export interface WebhookView {
  name: string;
  format: WebhookTarget['format'];
  url: string;
  min_severity: WebhookTarget['min_severity'];
  gateways: string[];
  origin: WebhookTarget['origin'];
  created_at: number | null;
  /** `sha256:<first 8 hex>` of the secret, or null when none is set. */
  secret_fingerprint: string | null;
  delivery: OutboxStatus;
}

export const fingerprint = (secret: string) => `sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 8)}`;

export function maskedUrl(t: Pick<WebhookTarget, 'url' | 'format'>): string {
  try {
    const u = new URL(t.url);
    const path = t.format === 'slack' ? (u.pathname === '/' ? '/' : '/…') : u.pathname;
    return `${u.origin}${path}${u.search ? '?…' : ''}`;
  } catch {
    return '(unparsable)';
  }
}

export function publicView(t: WebhookTarget, delivery: OutboxStatus): WebhookView {
  return {
    name: t.name,
    format: t.format,
    url: maskedUrl(t),
    min_severity: t.min_severity,
    gateways: [...t.gateways],
    origin: t.origin,
    created_at: t.created_at ?? null,
    secret_fingerprint: t.secret !== undefined ? fingerprint(t.secret) : null,
    delivery,
  };
}
