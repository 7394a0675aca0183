/** The agent command: wires inputs, pipeline and /metrics, and stops gracefully. */
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Config } from '../contracts/index.js';
import { Agent } from '../agent/pipeline.js';
import { enabledInputs } from '../agent/inputs/enabled.js';
import { serveMetrics } from '../agent/metrics-http.js';
import { publishedIdsSince } from '../agent/outputs/recent-ids.js';
import { connectNats, ensureStreams } from './connect.js';

/** This machine's name as a subject token. */
export function hostToken(config: Config): string {
  if (config.source.host !== '') return config.source.host;
  const h = hostname().replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  return h === '' ? 'host' : h;
}

export async function runAgent(config: Config, log: Logger, signal: AbortSignal): Promise<void> {
  const inputs = await enabledInputs(config);
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
