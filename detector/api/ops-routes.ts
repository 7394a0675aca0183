/**
 * Operations: GET /healthz (the process answers), GET /readyz (every dependency answers: NATS,
 * Redis) and GET /metrics (Prometheus text). /healthz and /readyz need no token and are not rate
 * limited; /metrics needs a read token unless api.metrics_auth is false.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { renderPrometheus, type MetricFamily } from '../metrics.js';
import { errorReplies } from './replies.js';

export type HealthChecks = Record<string, () => Promise<void>>;

/** A dependency that does not answer within this is not ready. */
const CHECK_TIMEOUT_MS = 2_000;

async function check(fn: () => Promise<void>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('no answer'), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([fn().then(() => 'ok'), timeout]);
  } catch (err) {
    // The error's code or class only: a message could carry a URL with credentials.
    return `unreachable (${(err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.name : 'error')})`;
  } finally {
    clearTimeout(timer);
  }
}

const Ready = Type.Object({ status: Type.String(), checks: Type.Record(Type.String(), Type.String()) });

export function opsRoutes(app: FastifyInstance, deps: { health?: HealthChecks; metrics?: () => Promise<MetricFamily[]> | MetricFamily[]; metricsScope: 'public' | 'read' }): void {
  const open = { scope: 'public', rateLimit: false } as const;
  app.get('/healthz', { config: open, schema: { summary: 'The process is up', tags: ['ops'], response: { 200: Type.Object({ status: Type.String() }) } } }, async () => ({ status: 'ok' }));

  app.get(
    '/readyz',
    { config: open, schema: { summary: 'NATS and Redis answer', tags: ['ops'], response: { 200: Ready, 503: Ready } } },
    async (_req, reply) => {
      const names = Object.keys(deps.health ?? {});
      const results = await Promise.all(names.map((n) => check((deps.health as HealthChecks)[n] as () => Promise<void>)));
      const checks = Object.fromEntries(names.map((n, i) => [n, results[i] as string]));
      const ok = results.every((r) => r === 'ok');
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
    },
  );

  app.get(
    '/metrics',
    { config: { scope: deps.metricsScope }, schema: { summary: 'Prometheus metrics', tags: ['ops'], produces: ['text/plain'], response: { ...errorReplies(401, 429) } } },
    async (_req, reply) => {
      const families = deps.metrics ? await deps.metrics() : [];
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(renderPrometheus(families));
    },
  );
}
