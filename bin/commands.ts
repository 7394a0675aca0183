/** The long-running commands: agent and detector. Each wires its parts and stops gracefully. */
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Config } from '../contracts/index.js';
import { Agent } from '../agent/pipeline.js';
import { enabledInputs } from '../agent/inputs/enabled.js';
import { serveMetrics } from '../agent/metrics-http.js';
import { publishedIdsSince } from '../agent/outputs/recent-ids.js';
import { buildApi } from '../detector/api/app.js';
import { RedisAlertStore } from '../detector/alerts/redis-alert-store.js';
import { NatsAlertPublisher } from '../detector/alerts/publish.js';
import { consumeEvents } from '../detector/consume/nats.js';
import { Detector } from '../detector/pipeline.js';
import { RedisProfileStore } from '../detector/profiles/redis-store.js';
import { connectNats, connectRedis, ensureStreams } from './connect.js';

/** This machine's name as a subject token. */
export function hostToken(config: Config): string {
  if (config.source.host !== '') return config.source.host;
  const h = hostname().replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  return h === '' ? 'host' : h;
}

export async function runAgent(config: Config, log: Logger, signal: AbortSignal): Promise<void> {
  const inputs = enabledInputs(config);
  const nc = await connectNats(config.nats, log, signal, 'lowslow-agent');
  await ensureStreams(nc, config.nats, ['events']);
  const host = hostToken(config);
  // After a crash the file input re-reads up to a second of lines that may already be published.
  let published: Set<string> | undefined;
  const since = Math.min(...inputs.map((i) => i.resumeSince?.() ?? Infinity));
  if (Number.isFinite(since)) {
    published = await publishedIdsSince(nc, config.nats.events_stream, config.source.gateway, host, since - 10_000);
    log.info({ ids: published.size }, 'resuming: read back the ids published since the last checkpoint');
  }
  const agent = new Agent({ config, nc, log, host, inputs, ...(published ? { published } : {}) });
  agent.start();
  const metrics = config.agent.metrics_port >= 0 ? await serveMetrics(agent, config.agent.metrics_host, config.agent.metrics_port) : null;
  log.info({ inputs: inputs.map((i) => i.name), partitions: config.nats.partitions, metrics: metrics?.url }, 'agent started');
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await agent.stop();
  await metrics?.close();
  await nc.drain();
}

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
