/** Builds a Detector over given stores with the default config, for unit and integration tests. */
import { pino } from 'pino';
import { validateConfig, partitionOf, type AccessEvent, type Alert, type Config } from '../../contracts/index.js';
import { CallbackAlertPublisher } from '../../detector/alerts/publish.js';
import type { AlertStore } from '../../detector/alerts/alert-store.js';
import { MemoryAlertStore } from '../../detector/alerts/memory-alert-store.js';
import { Detector } from '../../detector/pipeline.js';
import { MemoryProfileStore } from '../../detector/profiles/memory-store.js';
import type { ProfileStore } from '../../detector/profiles/store.js';

export function testConfig(over: Record<string, unknown> = {}): Config {
  const c = structuredClone(over);
  if (!validateConfig(c)) throw new Error(JSON.stringify(validateConfig.errors));
  return c as Config;
}

export function harness(opts: { config?: Config; store?: ProfileStore; alerts?: AlertStore } = {}) {
  const published: Alert[] = [];
  const alerts = opts.alerts ?? new MemoryAlertStore();
  const detector = new Detector({
    config: opts.config ?? testConfig(),
    store: opts.store ?? new MemoryProfileStore(),
    alerts,
    publisher: new CallbackAlertPublisher((a) => {
      published.push(structuredClone(a));
    }),
    log: pino({ level: 'silent' }),
  });
  return { detector, alerts, published };
}

/** Feeds events in per-partition batches as the agent would publish them; returns the message count. */
export async function feed(detector: Detector, events: AccessEvent[], partitions: number, batch = 256, seqStart = 1): Promise<number> {
  const open = new Map<number, AccessEvent[]>();
  let seq = seqStart;
  for (const e of events) {
    const p = partitionOf(e.key_id, partitions);
    let b = open.get(p);
    if (!b) open.set(p, (b = []));
    b.push(e);
    if (b.length >= batch) {
      open.delete(p);
      await detector.ingest(p, b, seq++);
    }
  }
  for (const [p, b] of open) await detector.ingest(p, b, seq++);
  return seq - seqStart;
}

/** Alerts without their wall-clock fields, in a stable order, for comparing runs. */
export function comparable(alerts: Alert[]) {
  return alerts
    .map(({ created_at: _c, updated_at: _u, ...rest }) => rest)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}
