/**
 * The http input's Fastify app (its own instance, not the detector's): POST /kong for Kong
 * http-log payloads, POST /lines for newline-delimited lines from Fluent Bit or Vector, POST /events
 * for AccessEvents our Kong plugin builds, GET /healthz.
 * Bodies and headers are never logged; Fastify's own logger is off.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { RateLimitedWarning } from '../../metrics.js';
import { parseKongObject } from '../../parsers/kong.js';
import type { ParseOptions } from '../../parsers/raw-record.js';
import type { InputContext } from '../input.js';
import { bearerCheck } from './auth.js';
import { bodyLines, bodyText, isProblem, kongObjects, type BodyProblem } from './body.js';
import { RETRY_AFTER_SECONDS, type HttpInputConfig } from './config.js';
import { Handoff } from './handoff.js';
import type { HttpInputMetrics, HttpRejectReason } from './metrics.js';
import { serverLimits } from './server-options.js';

export interface HttpInputAppDeps {
  config: HttpInputConfig;
  parse: ParseOptions;
  ctx: InputContext;
  metrics: HttpInputMetrics;
}

export function buildHttpInputApp(deps: HttpInputAppDeps): FastifyInstance {
  const { config, parse, ctx, metrics } = deps;
  const handoff = new Handoff(ctx);
  const warning = new RateLimitedWarning();
  const authorized = bearerCheck(config.token);
  // Slow and malformed clients are answered by Node's parser, before any route: counted and warned of here.
  const clientError = (status: 400 | 408 | 431) => {
    const reason: HttpRejectReason = status === 408 ? 'timeout' : status === 431 ? 'too_large' : 'bad_request';
    metrics.rejected[reason]++;
    warn(ctx.log, warning, { route: 'other', reason, status });
  };
  const app = Fastify({ logger: false, bodyLimit: config.max_body_bytes, ...serverLimits(config.request_timeout_seconds * 1000, clientError) });

  const reject = (reply: FastifyReply, p: BodyProblem | { status: 400 | 401 | 404; reason: HttpRejectReason; message: string }, route: string) => {
    metrics.rejected[p.reason]++;
    warn(ctx.log, warning, { route, reason: p.reason, status: p.status });
    return reply.code(p.status).send({ statusCode: p.status, error: ERROR_NAMES[p.status], message: p.message });
  };
  const busy = (reply: FastifyReply, accepted: number, total: number) => {
    metrics.busy++;
    return reply
      .code(503)
      .header('retry-after', String(RETRY_AFTER_SECONDS))
      .send({
        statusCode: 503,
        error: 'Service Unavailable',
        message: accepted > 0 ? `pipeline is full, retry later (${accepted} of ${total} accepted before it filled)` : 'pipeline is full, retry later',
        accepted,
        total,
      });
  };

  // Every body arrives as bytes: Kong says application/json, Fluent Bit application/json or
  // application/x-ndjson, Vector application/x-ndjson or text/plain; the route decides how to read it.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (req, reply) => {
    metrics.requests++;
    // Two credentials are ambiguous (a proxy in front may read the other one): refuse both.
    if (authorized !== null && authorizationCount(req.raw.rawHeaders) > 1) {
      return reject(reply, { status: 400, reason: 'bad_request', message: 'the request has more than one Authorization header: send exactly one' }, routeName(req.url));
    }
    if (authorized !== null && routeName(req.url) !== '/healthz' && !authorized(req.headers.authorization)) {
      void reply.header('www-authenticate', 'Bearer realm="lowslow"');
      return reject(reply, { status: 401, reason: 'unauthorized', message: 'missing or wrong bearer token (inputs.http.token)' }, routeName(req.url));
    }
    // While the pipeline is full, answer before reading (and decompressing, parsing) the body.
    if (handoff.paused && req.method === 'POST') return busy(reply, 0, 0);
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reject(reply, { status: 413, reason: 'too_large', message: `body is larger than inputs.http.max_body_bytes (${config.max_body_bytes} bytes)` }, routeName(req.url));
    }
    const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status < 500) metrics.rejected.bad_request++;
    ctx.log.warn({ input: 'http', route: routeName(req.url), status, code: err.code }, 'http input request failed');
    return reply.code(status).send({ statusCode: status, error: status < 500 ? 'Bad Request' : 'Internal Server Error', message: status < 500 ? err.message : 'internal error' });
  });

  app.setNotFoundHandler((req, reply) =>
    reject(reply, { status: 404, reason: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0] ?? ''}: use POST /kong, POST /lines or POST /events` }, 'other'),
  );

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.post('/kong', async (req, reply) => {
    const text = await bodyText(req.body, header(req.headers['content-encoding']), config.max_body_bytes);
    if (isProblem(text)) return reject(reply, text, '/kong');
    const objects = kongObjects(text);
    if (isProblem(objects)) return reject(reply, objects, '/kong');
    if (handoff.paused) return busy(reply, 0, objects.length);
    const accepted = handoff.give(objects, (o) => ctx.record(parseKongObject(o, parse), 'kong'));
    metrics.records += accepted;
    if (accepted < objects.length) return busy(reply, accepted, objects.length);
    return reply.code(200).send({ accepted });
  });

  app.post('/lines', async (req, reply) => {
    const text = await bodyText(req.body, header(req.headers['content-encoding']), config.max_body_bytes);
    if (isProblem(text)) return reject(reply, text, '/lines');
    const lines = bodyLines(text);
    if (isProblem(lines)) return reject(reply, lines, '/lines');
    if (handoff.paused) return busy(reply, 0, lines.length);
    const accepted = handoff.give(lines, (l) => ctx.line(l, config.format));
    metrics.lines += accepted;
    if (accepted < lines.length) return busy(reply, accepted, lines.length);
    return reply.code(200).send({ accepted });
  });

  // AccessEvents built at the gateway by our plugins (Kong lowslow plugin): one object or an array.
  app.post('/events', async (req, reply) => {
    const text = await bodyText(req.body, header(req.headers['content-encoding']), config.max_body_bytes);
    if (isProblem(text)) return reject(reply, text, '/events');
    const objects = kongObjects(text);
    if (isProblem(objects)) {
      const what = 'POST /events expects one AccessEvent v1 object or a JSON array of them';
      return reject(reply, { ...objects, message: objects.reason === 'not_json' ? `body is not valid JSON: ${what}` : what }, '/events');
    }
    if (handoff.paused) return busy(reply, 0, objects.length);
    const accepted = handoff.give(objects, (o) => ctx.event(o));
    metrics.records += accepted;
    if (accepted < objects.length) return busy(reply, accepted, objects.length);
    return reply.code(200).send({ accepted });
  });

  return app;
}

const ERROR_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
};

/** A fixed name for logs: URLs may carry anything, keys included. */
function routeName(url: string): string {
  const path = url.split('?')[0];
  return path === '/kong' || path === '/lines' || path === '/events' || path === '/healthz' ? path : 'other';
}

/** How many Authorization headers the request carried (Node keeps only the first in `headers`). */
function authorizationCount(raw: string[]): number {
  let n = 0;
  for (let i = 0; i < raw.length; i += 2) if ((raw[i] as string).length === 13 && (raw[i] as string).toLowerCase() === 'authorization') n++;
  return n;
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** One warning per interval; the reason and status only, never the body or a header. */
function warn(log: Logger, warning: RateLimitedWarning, fields: { route: string; reason: string; status: number }): void {
  const suppressed = warning.take();
  if (suppressed >= 0) log.warn({ input: 'http', ...fields, suppressed }, 'http input rejected a request');
}
