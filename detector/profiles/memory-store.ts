/** In-process profile store for replay and tests: the same JSON the Redis store keeps. */
import type { KeyState } from './key-state.js';
import type { PartitionCheckpoint, ProfileStore } from './store.js';

export class MemoryProfileStore implements ProfileStore {
  private readonly states = new Map<string, string>();
  private readonly open = new Map<number, Set<string>>();
  private readonly checkpoints = new Map<number, PartitionCheckpoint>();
  private population: string | null = null;

  async load(keyIds: string[]): Promise<Map<string, KeyState>> {
    const out = new Map<string, KeyState>();
    for (const id of keyIds) {
      const s = this.states.get(id);
      if (s !== undefined) out.set(id, JSON.parse(s) as KeyState);
    }
    return out;
  }

  async save(partition: number, states: KeyState[], checkpoint: PartitionCheckpoint | null): Promise<void> {
    let open = this.open.get(partition);
    if (!open) this.open.set(partition, (open = new Set()));
    for (const s of states) {
      this.states.set(s.key_id, JSON.stringify(s));
      if (s.window) open.add(s.key_id);
      else open.delete(s.key_id);
    }
    if (checkpoint) this.checkpoints.set(checkpoint.partition, { ...checkpoint });
  }

  async checkpoint(partition: number): Promise<PartitionCheckpoint | null> {
    return this.checkpoints.get(partition) ?? null;
  }

  async openKeys(partition: number): Promise<string[]> {
    return [...(this.open.get(partition) ?? [])];
  }

  async loadPopulation(): Promise<string | null> {
    return this.population;
  }

  async savePopulation(json: string): Promise<void> {
    this.population = json;
  }

  async sizeOf(keyId: string): Promise<number> {
    return Buffer.byteLength(this.states.get(keyId) ?? '');
  }

  get size(): number {
    return this.states.size;
  }
}
