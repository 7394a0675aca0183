/** The detector command: wires consumer, profiles, alerts and API, and stops gracefully. */
import type { Logger } from 'pino';
import type { Config } from '../contracts/index.js';
import { buildApi } from '../detector/api/app.js';
import { consumerLag } from '../detector/api/consumer-lag.js';
import { dependencyChecks } from '../detector/api/health.js';
import { RedisAlertStore } from '../detector/alerts/redis-alert-store.js';
import { FanoutPublisher, NatsAlertPublisher } from '../detector/alerts/publish.js';
import { RedisKeyRiskStore } from '../detector/alerts/redis-key-risk-store.js';
import { RedisSuppressions } from '../detector/alerts/redis-suppressions.js';
import { AlertReview } from '../detector/alerts/review.js';
import { calibrationOptions } from '../detector/alerts/calibration.js';
import { Calibrator } from '../detector/alerts/calibrator.js';
import { RedisCalibrationStore } from '../detector/alerts/redis-calibration-store.js';
import { createWebhooks } from '../detector/webhooks/index.js';
import { createCrowdsec } from '../detector/crowdsec/index.js';
import { consumeEvents } from '../detector/consume/nats.js';
import { followVerdicts } from '../detector/consume/verdicts.js';
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
  const prefix = config.redis.prefix;
  const webhooks = createWebhooks({ config: config.webhooks, redis, prefix, log });
  // The CrowdSec bridge queues in the webhook outbox too (its own box): LAPI trouble never slows detection.
  const crowdsec = createCrowdsec({ config: config.detector.crowdsec, outbox: webhooks.outbox, log });
  const alerts = new RedisAlertStore(redis, prefix);
  const profiles = new RedisProfileStore(redis, prefix);
  const risk = new RedisKeyRiskStore(redis, prefix, (err) => log.warn({ err: String(err) }, 'cannot record key scores in Redis'));
  const suppressions = new RedisSuppressions(redis, prefix);
  // Verdicts move per-key and per-kind thresholds, within caps (detection.calibration).
  const cal = config.detection.calibration;
  const calibration = cal.enabled ? new Calibrator({ store: new RedisCalibrationStore(redis, prefix), options: calibrationOptions(cal), base: config.detection.threshold }) : undefined;
  // Publishing only enqueues webhooks: delivery runs in the dispatcher, off the detection path.
  const publisher = new FanoutPublisher([new NatsAlertPublisher(nc), webhooks.enqueuer, ...(crowdsec ? [crowdsec.enqueuer] : [])]);
  const detector = new Detector({
    config,
    store: profiles,
    alerts,
    publisher,
    log,
    risk,
    suppressions,
    calibration,
    onAlert: (a) => log.info({ alert_id: a.id, key_id: a.key_id, severity: a.severity, score: a.score }, 'alert'),
  });
  await detector.init(partitions);
  // Verdicts given on any detector's API reach the detector that owns the key.
  const verdicts = followVerdicts({ nc, detector, partitions, partitionCount: n, log });
  const lag = consumerLag(nc, { stream: config.nats.events_stream, durable: config.detector.durable, partitions });
  const api = buildApi({
    alerts,
    // A false positive suppresses the key and kind, and returns the alert's windows to training.
    review: new AlertReview({ store: alerts, publisher, suppressions, training: detector, suppressMs: config.api.false_positive_suppress_hours * 3_600_000, metrics: detector.metrics, calibration }),
    calibration,
    keys: { risk, profiles },
    webhooks,
    health: dependencyChecks({ redis, nc }),
    metrics: async () => [
      ...detector.metrics.families(new Map(partitions.map((p) => [p, detector.watermark(p)]))),
      ...(await lag()),
      ...(await webhooks.families()),
      ...(crowdsec ? await crowdsec.families() : []),
      ...(detector.campaigns ? detector.campaigns.metrics.families() : []),
    ],
    tokens: { read: config.api.read_tokens, admin: config.api.admin_tokens },
    metricsAuth: config.api.metrics_auth,
    rateLimitPerMinute: config.api.rate_limit_per_minute,
    bodyLimit: config.api.body_limit_bytes,
    requestTimeoutMs: config.api.request_timeout_seconds * 1000,
    log,
  });
  const url = await api.listen({ host: config.api.host, port: config.api.port });
  if (config.api.read_tokens.length + config.api.admin_tokens.length === 0) {
    log.warn({ host: config.api.host }, 'the API has no tokens and is open to anyone who can reach it: set api.read_tokens and api.admin_tokens (LOWSLOW_API_READ_TOKENS, LOWSLOW_API_ADMIN_TOKENS)');
  }
  webhooks.dispatcher.start();
  crowdsec?.dispatcher.start();
  log.info({ url, partitions, webhooks: (await webhooks.targets.list()).map((t) => t.name), crowdsec: crowdsec ? { url: crowdsec.options.url, machine_id: crowdsec.options.machineId } : null }, 'detector started; API listening');
  const stats = setInterval(() => log.info({ metrics: detector.metrics.snapshot() }, 'detector stats'), 60_000);
  stats.unref();
  await consumeEvents({ nc, config, detector, partitions, log, signal });
  clearInterval(stats);
  await api.close();
  await webhooks.dispatcher.stop();
  await crowdsec?.dispatcher.stop();
  await risk.flush();
  await verdicts.stop();
  await nc.drain();
  redis.disconnect();
  log.info({ metrics: detector.metrics.snapshot() }, 'detector stopped');
}
