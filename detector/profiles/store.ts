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

/** Partition-wide state stored with a batch: population baselines, training rows, the model. */
export interface PartitionExtras {
  /** Population baselines (JSON), replacing the stored ones. */
  population?: string;
  /** New training rows (JSON arrays), appended; the store keeps the last `maxRows`. */
  rows?: string[];
  maxRows?: number;
  /** A newly trained model snapshot (JSON). */
  model?: string;
}

export interface PartitionState {
  population: string | null;
  rows: string[];
  model: string | null;
}

export interface ProfileStore {
  load(keyIds: string[]): Promise<Map<string, KeyState>>;
  save(partition: number, states: KeyState[], checkpoint: PartitionCheckpoint | null, extras?: PartitionExtras): Promise<void>;
  checkpoint(partition: number): Promise<PartitionCheckpoint | null>;
  /** Keys of a partition whose window is still open (so a restart can close them). */
  openKeys(partition: number): Promise<string[]>;
  /** A partition's population baselines, training rows and model, read at start. */
  loadPartition(partition: number): Promise<PartitionState>;
  /** Stored size in bytes of one key's state, for the 4 KB budget. */
  sizeOf(keyId: string): Promise<number>;
  /** State shared by the partitions a detector owns (the campaign stage), by name; null when none. */
  loadShared?(name: string): Promise<string | null>;
  saveShared?(name: string, value: string): Promise<void>;
}
