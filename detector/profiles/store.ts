/**
 * Where key states and partition checkpoints live. The memory store serves replay, the Redis store
 * live operation; both hold the same JSON so results match. Obligations: `load` answers only the
 * keys it has; `save` writes states and checkpoint together and resolves once both are stored.
 */
import type { KeyState } from './key-state.js';

export interface PartitionCheckpoint {
  partition: number;
  /** Last JetStream stream sequence fully applied; redelivered messages at or below it are skipped. */
  seq: number;
  /** Highest event time seen in the partition. */
  watermark: number;
}

export interface ProfileStore {
  load(keyIds: string[]): Promise<Map<string, KeyState>>;
  save(partition: number, states: KeyState[], checkpoint: PartitionCheckpoint | null): Promise<void>;
  checkpoint(partition: number): Promise<PartitionCheckpoint | null>;
  /** Keys of a partition whose window is still open (so a restart can close them). */
  openKeys(partition: number): Promise<string[]>;
  /** Shared population baselines (JSON), read at start, written with checkpoints. */
  loadPopulation(): Promise<string | null>;
  savePopulation(json: string): Promise<void>;
  /** Stored size in bytes of one key's state, for the 4 KB budget. */
  sizeOf(keyId: string): Promise<number>;
}
