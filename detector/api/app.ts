/**
 * The detector's HTTP API (Fastify). `buildApi(deps)` returns the app without listening; only the
 * entry point listens, tests use `app.inject()`.
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { AlertStore } from '../alerts/alert-store.js';
import { alertsRoutes } from './alerts-routes.js';

export interface ApiDeps {
  alerts: AlertStore;
  /** Body limit for requests. @default 65536 */
  bodyLimit?: number;
}

export function buildApi(deps: ApiDeps): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: deps.bodyLimit ?? 65_536,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true } },
  });
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    // Validation messages name the field ("querystring/limit must be <= 500"); internals stay inside.
    const message = err.validation ? validationMessage(err) : status < 500 ? err.message : 'internal error';
    void reply.code(status).send({ statusCode: status, error: status < 500 ? 'Bad Request' : 'Internal Server Error', message });
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  alertsRoutes(app, deps.alerts);
  return app;
}

function validationMessage(err: FastifyError): string {
  const e = err.validation?.[0];
  if (!e) return err.message;
  const where = `${err.validationContext ?? 'request'}${e.instancePath}`;
  const extra = (e.params as { additionalProperty?: string }).additionalProperty;
  if (extra !== undefined) return `${where}/${extra} is not a known parameter`;
  return `${where} ${e.message ?? 'is invalid'}`;
}
