/**
 * Where targets added through the API are kept (config-file targets are not stored). Obligations:
 * `add` refuses a name that exists, atomically; secrets are stored as given (they are needed to
 * sign and to authorise) and only the API layer redacts them.
 */
import type { WebhookTarget } from './target.js';

export interface WebhookTargetStore {
  list(): Promise<WebhookTarget[]>;
  /** False when the name is taken. */
  add(target: WebhookTarget): Promise<boolean>;
  /** False when there was no such target. */
  remove(name: string): Promise<boolean>;
}

export class MemoryTargetStore implements WebhookTargetStore {
  private readonly targets = new Map<string, WebhookTarget>();

  async list(): Promise<WebhookTarget[]> {
    return [...this.targets.values()].map((t) => structuredClone(t));
  }

  async add(target: WebhookTarget): Promise<boolean> {
    if (this.targets.has(target.name)) return false;
    this.targets.set(target.name, structuredClone(target));
    return true;
  }

  async remove(name: string): Promise<boolean> {
    return this.targets.delete(name);
  }
}
