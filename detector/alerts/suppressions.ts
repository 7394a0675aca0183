/**
 * Suppressions: a false-positive verdict holds back new alerts of that key and kind for a while
 * (wall clock). AlertDecider asks before raising; the review API sets and lifts them.
 */
export interface Suppressions {
  /** No new alert of this key and kind for `ms` from now. */
  suppress(keyId: string, kind: string, ms: number): Promise<void>;
  /** Ends a suppression early (the verdict was changed to true positive). */
  lift(keyId: string, kind: string): Promise<void>;
  isSuppressed(keyId: string, kind: string): Promise<boolean>;
}

/** Suppressions in process memory, for tests and single-process use. */
export class MemorySuppressions implements Suppressions {
  private readonly until = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async suppress(keyId: string, kind: string, ms: number): Promise<void> {
    this.until.set(`${keyId}|${kind}`, this.now() + ms);
  }

  async lift(keyId: string, kind: string): Promise<void> {
    this.until.delete(`${keyId}|${kind}`);
  }

  async isSuppressed(keyId: string, kind: string): Promise<boolean> {
    const t = this.until.get(`${keyId}|${kind}`);
    return t !== undefined && t > this.now();
  }
}
