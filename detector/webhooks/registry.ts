/**
 * Every webhook target: those of the config file (read-only here) and those added through the
 * API. Adding checks the URL against the SSRF rules twice: the literal URL, then the addresses its
 * host resolves to now (delivery checks them again on every connection).
 */
import type { WebhookTargetInput } from '../../contracts/index.js';
import { WebhookError } from './errors.js';
import type { Outbox } from './outbox.js';
import { checkResolvedHost, checkTargetUrl, type Resolve } from './ssrf.js';
import type { WebhookTargetStore } from './target-store.js';
import { missingForFormat, type WebhookTarget } from './target.js';

export interface RegistryOptions {
  allowPrivate: boolean;
  /** DNS resolution for the add-time check; the system resolver by default. */
  resolve?: Resolve;
  now?: () => number;
}

export class WebhookTargets {
  private readonly fromConfig: Map<string, WebhookTarget>;

  constructor(
    configTargets: WebhookTarget[],
    private readonly store: WebhookTargetStore,
    private readonly outbox: Outbox,
    private readonly opts: RegistryOptions,
  ) {
    this.fromConfig = new Map(configTargets.map((t) => [t.name, t]));
  }

  /** Config targets first, then API targets by name. */
  async list(): Promise<WebhookTarget[]> {
    const stored = (await this.store.list()).filter((t) => !this.fromConfig.has(t.name));
    return [...this.fromConfig.values(), ...stored];
  }

  async get(name: string): Promise<WebhookTarget | null> {
    return this.fromConfig.get(name) ?? (await this.store.list()).find((t) => t.name === name) ?? null;
  }

  /** Throws WebhookError: LOWSLOW_WEBHOOK_CONFIG, _URL or _EXISTS. */
  async add(input: WebhookTargetInput): Promise<WebhookTarget> {
    const target: WebhookTarget = {
      name: input.name,
      url: input.url,
      format: input.format,
      min_severity: input.min_severity,
      gateways: input.gateways,
      origin: 'api',
      created_at: (this.opts.now ?? Date.now)(),
      ...(input.secret !== undefined ? { secret: input.secret } : {}),
    };
    const missing = missingForFormat(target);
    if (missing !== null) throw new WebhookError('LOWSLOW_WEBHOOK_CONFIG', missing);
    const refused = checkTargetUrl(target.url, this.opts.allowPrivate) ?? (await checkResolvedHost(new URL(target.url).hostname, this.opts.allowPrivate, this.opts.resolve));
    if (refused !== null) throw new WebhookError('LOWSLOW_WEBHOOK_URL', refused);
    if (this.fromConfig.has(target.name) || !(await this.store.add(target))) throw new WebhookError('LOWSLOW_WEBHOOK_EXISTS', target.name);
    return target;
  }

  /** Removes an API target and its queue. Throws WebhookError: LOWSLOW_WEBHOOK_READ_ONLY or _NOT_FOUND. */
  async remove(name: string): Promise<void> {
    if (this.fromConfig.has(name)) throw new WebhookError('LOWSLOW_WEBHOOK_READ_ONLY', name);
    if (!(await this.store.remove(name))) throw new WebhookError('LOWSLOW_WEBHOOK_NOT_FOUND', name);
    await this.outbox.drop(name);
  }
}
