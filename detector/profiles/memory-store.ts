/** In-process profile store for replay and tests: the same JSON the Redis store keeps. */
import type { KeyState } from './key-state.js';
import type { PartitionCheckpoint, PartitionExtras, PartitionState, ProfileStore } from './store.js';

export class MemoryProfileStore implements ProfileStore {
  private readonly states = new Map<string, string>();
  private readonly open = new Map<number, Set<string>>();
  private readonly checkpoints = new Map<number, PartitionCheckpoint>();
  private readonly parts = new Map<number, PartitionState>();
  private readonly shared = new Map<string, string>();

  async loadShared(name: string): Promise<string | null> {
    return this.shared.get(name) ?? null;
  }

  async saveShared(name: string, value: string): Promise<void> {
    this.shared.set(name, value);
  }

  async load(keyIds: string[]): Promise<Map<string, KeyState>> {
    const out = new Map<string, KeyState>();
    for (const id of keyIds) {
      const s = this.states.get(id);
      if (s !== undefined) out.set(id, JSON.parse(s) as KeyState);
    }
    return out;
  }

  async save(partition: number, states: KeyState[], checkpoint: PartitionCheckpoint | null, extras?: PartitionExtras): Promise<void> {
    if (extras) {
      const part = this.parts.get(partition) ?? { population: null, rows: [], model: null };
      if (extras.population !== undefined) part.population = extras.population;
      if (extras.model !== undefined) part.model = extras.model;
      if (extras.rows) {
        part.rows.push(...extras.rows);
        const max = extras.maxRows ?? Infinity;
        if (part.rows.length > max) part.rows.splice(0, part.rows.length - max);
      }
      this.parts.set(partition, part);
    }
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

  async loadPartition(partition: number): Promise<PartitionState> {
    const p = this.parts.get(partition);
    return p ? { population: p.population, rows: [...p.rows], model: p.model } : { population: null, rows: [], model: null };
  }

  async sizeOf(keyId: string): Promise<number> {
    return Buffer.byteLength(this.states.get(keyId) ?? '');
  }

  get size(): number {
    return this.states.size;
  }
}
