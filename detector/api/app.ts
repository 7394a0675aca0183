/**
 * The detector's HTTP API (Fastify). `buildApi(deps)` returns the app without listening; only the
 * entry point listens, tests use `app.inject()`. Routes exist for the parts given in `deps`;
 * schemas come from contracts/ and are served as OpenAPI at /docs. Every bad request is a 4xx
 * whose JSON body names what was wrong; internals never reach a reply.
 */
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Ajv } from 'ajv';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { AlertStore } from '../alerts/alert-store.js';
import type { KeyRiskStore } from '../alerts/key-risk-store.js';
import { AlertReview } from '../alerts/review.js';
import type { MetricFamily } from '../metrics.js';
import type { ProfileStore } from '../profiles/store.js';
import type { Outbox } from '../webhooks/outbox.js';
import type { WebhookTargets } from '../webhooks/registry.js';
import type { Calibrator } from '../alerts/calibrator.js';
import { alertsRoutes } from './alerts-routes.js';
import { ApiAuth, type Scope } from './auth.js';
import { calibrationRoutes } from './calibration-routes.js';
import { keysRoutes } from './keys-routes.js';
import { opsRoutes, type HealthChecks } from './ops-routes.js';
import { errorBody } from './replies.js';
import { reviewRoutes } from './review-routes.js';
import { serverLimits } from './server-options.js';
import { uiRoutes } from './ui-routes.js';
import { webhooksRoutes } from './webhooks-routes.js';

export interface ApiDeps {
  alerts: AlertStore;
  /** Ack, resolve and feedback; by default changes are stored, not published. */
  review?: AlertReview;
  /** GET /v1/keys, /v1/keys/:key_id. */
  keys?: { risk: KeyRiskStore; profiles: ProfileStore };
  /** /v1/webhooks. */
  webhooks?: { targets: WebhookTargets; outbox: Outbox };
  /** /v1/calibration: thresholds moved by verdicts (give `review` the same calibrator). */
  calibration?: Calibrator;
  /** /readyz: one check per dependency, rejecting when it is unreachable. */
  health?: HealthChecks;
  /** /metrics, read at scrape time. */
  metrics?: () => Promise<MetricFamily[]> | MetricFamily[];
  /** Bearer tokens by scope; none at all: the API is open. */
  tokens?: { read?: string[]; admin?: string[] };
  /** /metrics needs a read token when tokens are configured. @default true */
  metricsAuth?: boolean;
  /** Requests per minute per token (or client address); 0: unlimited. @default 0 */
  rateLimitPerMinute?: number;
  /** @default 65536 */
  bodyLimit?: number;
  /** Time a client has to send a whole request (api.request_timeout_seconds); slower ones get 408. @default 30000 */
  requestTimeoutMs?: number;
  /** Errors inside routes are logged here (never a request's headers). */
  log?: Logger;
  /** Serve the dashboard at /ui/ (pages only; its data comes from the API with a token). @default true */
  ui?: boolean;
}

export const API_VERSION = '1.0.0';

export function buildApi(deps: ApiDeps): FastifyInstance {
  const bodyLimit = deps.bodyLimit ?? 65_536;
  const app = Fastify({
    ...(deps.log ? { loggerInstance: deps.log } : { logger: false }),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit,
    ...serverLimits(deps.requestTimeoutMs),
    // Bad URLs and over-long path parameters are refused by the router, before any hook: answer
    // them with the same JSON body as every other error (fastify's own shape names its codes).
    frameworkErrors: (err, _req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
      const message = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path parameter is too long' : err.code === 'FST_ERR_BAD_URL' ? 'the URL is not validly percent-encoded' : 'bad request';
      void (reply as FastifyReply).code(status).send(errorBody(status, message));
    },
  }) as unknown as FastifyInstance;
  // Query strings are coerced ("limit=5" is a number); bodies are not ({"note": 5} is a 400).
  const queryAjv = new Ajv({ coerceTypes: true, useDefaults: true, removeAdditional: false, strict: false, allErrors: false });
  const bodyAjv = new Ajv({ coerceTypes: false, useDefaults: true, removeAdditional: false, strict: false, allErrors: false });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : queryAjv).compile(schema));
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err: err.message, route: req.routeOptions.url }, 'request failed');
    // Validation messages name the field ("querystring/limit must be <= 500"); internals stay inside.
    const message = err.validation ? validationMessage(err) : status < 500 ? (BODY_MESSAGES[err.code]?.(bodyLimit) ?? err.message) : 'internal error';
    void reply.code(status).send(errorBody(status, message));
  });
  // Fastify would read a compressed body as if it were plain: refuse it instead.
  app.addHook('onRequest', async (req, reply) => {
    const enc = req.headers['content-encoding'];
    if (enc !== undefined && enc.trim().toLowerCase() !== 'identity') {
      return reply.code(415).send(errorBody(415, 'Content-Encoding is not supported: send the body uncompressed (identity)'));
    }
  });
  app.setNotFoundHandler((req, reply) => void reply.code(404).send(errorBody(404, `no route ${req.method} ${req.url.split('?')[0]}`)));

  // One structured line per request: its id, the route pattern (never the query string, never a
  // header) and the outcome. Health probes come every few seconds, so they log at debug.
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const line = { reqId: req.id, method: req.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (route === '/healthz' || route === '/readyz') req.log.debug(line, 'request');
    else req.log.info(line, 'request');
    done();
  });

  const auth = new ApiAuth(deps.tokens);
  app.decorateRequest('principal', null);
  const limit = deps.rateLimitPerMinute ?? 0;
  if (limit > 0) {
    void app.register(rateLimit, {
      global: true,
      max: limit,
      timeWindow: 60_000,
      keyGenerator: (req) => {
        const p = auth.identify(req.headers.authorization);
        return p ? `token:${p.id}` : `ip:${req.ip}`;
      },
    });
  }
  void app.register(swagger, {
    openapi: {
      info: { title: 'lowslow detector API', version: API_VERSION, description: 'Alerts, keys, webhooks and operations of the lowslow detector.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: auth.open ? [] : [{ bearer: [] }],
    },
  });
  void app.register(swaggerUi, { routePrefix: '/docs' });
  if (deps.ui !== false) void app.register(uiRoutes);
  void app.register(async (api) => {
    // Runs after the rate limiter's own onRoute hook: a flood of bad tokens is limited too.
    api.addHook('onRoute', (route) => {
      const reads = route.method === 'GET' || route.method === 'HEAD';
      const scope: Scope = route.config?.scope ?? (reads ? 'read' : 'admin');
      const own = route.onRequest;
      route.onRequest = [...(own === undefined ? [] : Array.isArray(own) ? own : [own]), auth.hook(scope)];
      // Unknown input is refused on every /v1 route, not only where a schema names the fields.
      if (route.url.startsWith('/v1/')) {
        route.schema = { ...route.schema, querystring: route.schema?.querystring ?? NO_QUERY };
        if (!reads && route.schema.body === undefined) {
          const pre = route.preValidation;
          route.preValidation = [...(pre === undefined ? [] : Array.isArray(pre) ? pre : [pre]), refuseBody];
        }
      }
    });
    opsRoutes(api, { health: deps.health, metrics: deps.metrics, metricsScope: deps.metricsAuth === false ? 'public' : 'read' });
    alertsRoutes(api, deps.alerts);
    reviewRoutes(api, deps.review ?? new AlertReview({ store: deps.alerts }));
    if (deps.keys) keysRoutes(api, deps.keys);
    if (deps.webhooks) webhooksRoutes(api, deps.webhooks);
    if (deps.calibration) calibrationRoutes(api, deps.calibration);
  });
  return app;
}

/** Fastify's own body errors, reworded to say what to send instead. */
const BODY_MESSAGES: Record<string, (limit: number) => string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: (limit) => `body is too large: api.body_limit_bytes allows ${limit} bytes`,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => 'unsupported media type: send the body as Content-Type: application/json',
};

/** The querystring of a route that takes no parameters. */
const NO_QUERY = { type: 'object', properties: {}, additionalProperties: false } as const;

/** preValidation of a change that takes no body: nothing, or `{}`; anything else is a 400. */
async function refuseBody(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const body = req.body;
  if (body === undefined || body === null) return;
  if (typeof body !== 'object' || Array.isArray(body)) return void reply.code(400).send(errorBody(400, 'body must be empty or {}'));
  const extra = Object.keys(body)[0];
  if (extra !== undefined) return void reply.code(400).send(errorBody(400, `body/${extra} is not a known field (this route takes no body)`));
}

function validationMessage(err: FastifyError): string {
  const e = err.validation?.[0];
  if (!e) return err.message;
  const where = `${err.validationContext ?? 'request'}${e.instancePath}`;
  const extra = (e.params as { additionalProperty?: string }).additionalProperty;
  if (extra !== undefined) return `${where}/${extra} is not a known ${err.validationContext === 'body' ? 'field' : 'parameter'}`;
  const missing = (e.params as { missingProperty?: string }).missingProperty;
  if (missing !== undefined) return `${where}/${missing} is required`;
  return `${where} ${e.message ?? 'is invalid'}`;
}
