/**
 * Webhook config, phase one (pure): the targets of `webhooks.targets` checked without I/O (names
 * unique, secret present for the format and taken from `secret_env` when named there, URL allowed)
 * and the dispatcher options in milliseconds.
 */
import type { Config } from '../../contracts/index.js';
import { WebhookError } from './errors.js';
import { checkTargetUrl } from './ssrf.js';
import { missingForFormat, type WebhookTarget } from './target.js';

export interface DispatcherOptions {
  timeoutMs: number;
  retryInitialMs: number;
  retryMaxMs: number;
  deadLetterAfterMs: number;
  concurrency: number;
  pollMs: number;
  allowPrivate: boolean;
}

export function dispatcherOptions(c: Config['webhooks']): DispatcherOptions {
  return {
    timeoutMs: c.timeout_seconds * 1000,
    retryInitialMs: c.retry_initial_seconds * 1000,
    retryMaxMs: c.retry_max_seconds * 1000,
    deadLetterAfterMs: c.dead_letter_after_seconds * 1000,
    concurrency: c.concurrency,
    pollMs: c.poll_seconds * 1000,
    allowPrivate: c.allow_private,
  };
}

/** The configured targets, or a WebhookError (LOWSLOW_WEBHOOK_CONFIG) naming the field. Never echoes a secret. */
export function targetsFromConfig(c: Config['webhooks'], env: NodeJS.ProcessEnv = process.env): WebhookTarget[] {
  const names = new Set<string>();
  return c.targets.map((t, i) => {
    const at = `webhooks.targets[${i}]`;
    if (names.has(t.name)) throw new WebhookError('LOWSLOW_WEBHOOK_CONFIG', `${at}.name: ${t.name} is used twice`);
    names.add(t.name);
    if (t.secret !== undefined && t.secret_env !== undefined) throw new WebhookError('LOWSLOW_WEBHOOK_CONFIG', `${at}: set secret or secret_env, not both`);
    let secret = t.secret;
    if (t.secret_env !== undefined) {
      secret = env[t.secret_env];
      if (secret === undefined || !/^[\x21-\x7e]{16,512}$/.test(secret)) {
        throw new WebhookError('LOWSLOW_WEBHOOK_CONFIG', `${at}.secret_env: ${t.secret_env} is not set to 16-512 printable characters`);
      }
    }
    const target: WebhookTarget = {
      name: t.name,
      url: t.url,
      format: t.format,
      min_severity: t.min_severity,
      gateways: t.gateways,
      origin: 'config',
      ...(secret !== undefined ? { secret } : {}),
    };
    const missing = missingForFormat(target);
    if (missing !== null) throw new WebhookError('LOWSLOW_WEBHOOK_CONFIG', `${at}.${missing}`);
    const bad = checkTargetUrl(t.url, c.allow_private);
    if (bad !== null) throw new WebhookError('LOWSLOW_WEBHOOK_URL', `${at}.${bad}`);
    return target;
  });
}
