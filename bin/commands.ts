/** The detector command: wires consumer, profiles, alerts and API, and stops gracefully. */
import type { Logger } from 'pino';
import type { Config } from '../contracts/index.js';
import { buildApi } from '../detector/api/app.js';
import { RedisAlertStore } from '../detector/alerts/redis-alert-store.js';
import { NatsAlertPublisher } from '../detector/alerts/publish.js';
import { consumeEvents } from '../detector/consume/nats.js';
import { Detector } from '../detector/pipeline.js';
import { RedisProfileStore } from '../detector/profiles/redis-store.js';
import { connectNats, ensureStreams } from './connect.js';
import { connectRedis } from './connect-redis.js';


export async function runDetector(config: Config, log: Logger, signal: AbortSignal): Promise<void> {
  const redis = await connectRedis(config.redis, log, signal);
  const nc = await connectNats(config.nats, log, signal, 'lowslow-detector');
  await ensureStreams(nc, config.nats, ['events', 'alerts']);
  const n = config.nats.partitions;
  const partitions = config.detector.partitions.length > 0 ? config.detector.partitions : [...Array(n).keys()];
  const bad = partitions.find((p) => p >= n);
  if (bad !== undefined) throw new Error(`detector.partitions: partition ${bad} does not exist (nats.partitions is ${n})`);
  const alerts = new RedisAlertStore(redis, config.redis.prefix);
  const detector = new Detector({
    config,
    store: new RedisProfileStore(redis, config.redis.prefix),
    alerts,
    publisher: new NatsAlertPublisher(nc),
    log,
    onAlert: (a) => log.info({ alert_id: a.id, key_id: a.key_id, severity: a.severity, score: a.score }, 'alert'),
  });
  await detector.init(partitions);
  const api = buildApi({ alerts });
  const url = await api.listen({ host: config.api.host, port: config.api.port });
  log.info({ url, partitions }, 'detector started; API listening');
  const stats = setInterval(() => log.info({ metrics: detector.metrics.snapshot() }, 'detector stats'), 60_000);
  stats.unref();
  await consumeEvents({ nc, config, detector, partitions, log, signal });
  clearInterval(stats);
  await api.close();
  await detector.savePopulation().catch(() => undefined);
  await nc.drain();
  redis.disconnect();
  log.info({ metrics: detector.metrics.snapshot() }, 'detector stopped');
}
