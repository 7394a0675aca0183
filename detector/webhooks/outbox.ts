/**
 * The webhook outbox: per target, deliveries waiting for their next attempt (each an alert
 * revision), dead letters and delivery counts. The publish step only enqueues; the dispatcher
 * claims due deliveries and reports each outcome. Obligations: `enqueue` is idempotent per
 * delivery id (a revision queued, delivered or dead-lettered is not queued again); `claim` moves
 * what it returns out of reach of other dispatchers until `leaseUntil`, so a crash mid-delivery
 * only delays it.
 */
import { createHash } from 'node:crypto';
import type { Alert } from '../../contracts/index.js';
import { alertRevision } from '../alerts/publish.js';

export interface Delivery {
  /** `<alert id>-<revision hash>`: receivers deduplicate on it (X-Lowslow-Delivery). */
  id: string;
  alert: Alert;
  /** Wall-clock ms when queued. */
  created_at: number;
  /** Attempts made so far. */
  attempts: number;
}

export interface DeadLetter {
  id: string;
  alert_id: string;
  created_at: number;
  dead_at: number;
  attempts: number;
  last_error: string;
}

export interface OutboxStatus {
  /** Deliveries waiting (or being attempted). */
  pending: number;
  /** Dead letters kept. */
  dead: number;
  delivered: number;
  failed_attempts: number;
  last_success_at: number | null;
  last_failure_at: number | null;
  last_error: string | null;
}

export interface Outbox {
  enqueue(target: string, id: string, alert: Alert, now: number): Promise<boolean>;
  claim(target: string, now: number, leaseUntil: number, max: number): Promise<Delivery[]>;
  delivered(target: string, id: string, now: number): Promise<void>;
  /** A failed attempt: next one at `nextAt`. */
  retry(target: string, id: string, nextAt: number, error: string, now: number): Promise<void>;
  deadLetter(target: string, id: string, error: string, now: number): Promise<void>;
  /** Hands a claimed delivery back, due now (the dispatcher is stopping). */
  release(target: string, id: string, now: number): Promise<void>;
  status(target: string): Promise<OutboxStatus>;
  /** Newest first. */
  deadLetters(target: string, limit: number): Promise<DeadLetter[]>;
  /** Forgets everything of a target (it was deleted). */
  drop(target: string): Promise<void>;
}

/** How long delivered ids and dead letters are remembered. */
export const REMEMBER_MS = 7 * 86_400_000;
/** Dead letters kept per target. */
export const MAX_DEAD_LETTERS = 1000;

export function deliveryId(alert: Alert): string {
  return `${alert.id}-${createHash('sha256').update(alertRevision(alert)).digest('hex').slice(0, 12)}`;
}

export function emptyStatus(): OutboxStatus {
  return { pending: 0, dead: 0, delivered: 0, failed_attempts: 0, last_success_at: null, last_failure_at: null, last_error: null };
}
