/**
 * Verdicts given on another detector's API: every status change is published on
 * `lowslow.alerts.>`, so each detector follows those subjects and hands a false-positive verdict
 * on a key it owns to `Detector.falsePositive`, which returns the alert's windows to training.
 * A verdict given on this detector's own API arrives both ways; the second call finds nothing
 * left to return. Messages that are not Alert v1 are counted and dropped.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { ALERTS_SUBJECTS, partitionOf, validateAlert, type Alert } from '../../contracts/index.js';

export interface VerdictTarget {
  falsePositive(alert: Alert): Promise<number>;
}

export interface VerdictOptions {
  nc: NatsConnection;
  detector: VerdictTarget;
  partitions: number[];
  /** nats.partitions */
  partitionCount: number;
  log: Logger;
}

export interface VerdictFollower {
  /** Windows returned to training so far. */
  readonly returned: number;
  readonly invalid: number;
  stop(): Promise<void>;
}

export function followVerdicts(o: VerdictOptions): VerdictFollower {
  const owned = new Set(o.partitions);
  const sub = o.nc.subscribe(ALERTS_SUBJECTS);
  const state = { returned: 0, invalid: 0 };
  const done = (async () => {
    for await (const m of sub) {
      let alert: unknown;
      try {
        alert = JSON.parse(m.string());
      } catch {
        state.invalid++;
        continue;
      }
      if (!validateAlert(alert)) {
        state.invalid++;
        continue;
      }
      if (alert.status !== 'false_positive' || !owned.has(partitionOf(alert.key_id, o.partitionCount))) continue;
      try {
        const n = await o.detector.falsePositive(alert);
        state.returned += n;
        if (n > 0) o.log.info({ alert_id: alert.id, key_id: alert.key_id, windows: n }, 'false-positive windows returned to training');
      } catch (err) {
        o.log.warn({ err: String(err), alert_id: alert.id }, 'cannot return false-positive windows to training');
      }
    }
  })();
  return {
    get returned() {
      return state.returned;
    },
    get invalid() {
      return state.invalid;
    },
    async stop() {
      sub.unsubscribe();
      await done;
    },
  };
}
