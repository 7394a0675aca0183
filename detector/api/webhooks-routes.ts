/**
 * GET/POST/DELETE /v1/webhooks: targets with their delivery status. Secrets are write-only: the
 * reply schemas have no field that could carry one, and URLs are shown masked.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { WEBHOOK_FORMATS, WEBHOOK_NAME_PATTERN, SeveritySchema, WebhookTargetSchema, type WebhookTargetInput } from '../../contracts/index.js';
import { WebhookError, type WebhookErrorCode } from '../webhooks/errors.js';
import type { Outbox } from '../webhooks/outbox.js';
import { publicView } from '../webhooks/public-view.js';
import type { WebhookTargets } from '../webhooks/registry.js';
import { errorBody, errorReplies } from './replies.js';

const Nullable = (t: TSchema) => Type.Union([t, Type.Null()]);

const DeliveryStatus = Type.Object({
  pending: Type.Integer(),
  dead: Type.Integer(),
  delivered: Type.Integer(),
  failed_attempts: Type.Integer(),
  last_success_at: Nullable(Type.Integer()),
  last_failure_at: Nullable(Type.Integer()),
  last_error: Nullable(Type.String()),
});

const WebhookView = Type.Object({
  name: Type.String(),
  format: Type.Union(WEBHOOK_FORMATS.map((f) => Type.Literal(f))),
  url: Type.String({ description: 'Masked: no query string, and only the origin of a Slack URL.' }),
  min_severity: SeveritySchema,
  gateways: Type.Array(Type.String()),
  origin: Type.Union([Type.Literal('config'), Type.Literal('api')]),
  created_at: Nullable(Type.Integer()),
  secret_fingerprint: Nullable(Type.String({ description: 'sha256:<8 hex> of the secret; the secret itself is never shown.' })),
  delivery: DeliveryStatus,
});

const DeadLetter = Type.Object({
  id: Type.String(),
  alert_id: Type.String(),
  created_at: Type.Integer(),
  dead_at: Type.Integer(),
  attempts: Type.Integer(),
  last_error: Type.String(),
});

const NameParams = Type.Object({ name: Type.String({ pattern: WEBHOOK_NAME_PATTERN }) }, { additionalProperties: false });

const STATUS: Record<WebhookErrorCode, number> = {
  LOWSLOW_WEBHOOK_CONFIG: 400,
  LOWSLOW_WEBHOOK_URL: 400,
  LOWSLOW_WEBHOOK_EXISTS: 409,
  LOWSLOW_WEBHOOK_NOT_FOUND: 404,
  LOWSLOW_WEBHOOK_READ_ONLY: 409,
};

function sendError(reply: FastifyReply, err: unknown) {
  if (!(err instanceof WebhookError)) throw err;
  const status = STATUS[err.code];
  return reply.code(status).send(errorBody(status, status === 400 ? `body/${err.message.slice(err.message.indexOf(': ') + 2)}` : err.message));
}

export function webhooksRoutes(app: FastifyInstance, deps: { targets: WebhookTargets; outbox: Outbox }): void {
  const { targets, outbox } = deps;

  app.get(
    '/v1/webhooks',
    { schema: { summary: 'Webhook targets and their delivery status', tags: ['webhooks'], response: { 200: Type.Object({ webhooks: Type.Array(WebhookView) }), ...errorReplies(401, 429) } } },
    async () => {
      const all = await targets.list();
      return { webhooks: await Promise.all(all.map(async (t) => publicView(t, await outbox.status(t.name)))) };
    },
  );

  app.get<{ Params: { name: string } }>(
    '/v1/webhooks/:name',
    {
      schema: {
        summary: 'One webhook target, its delivery status and its latest dead letters',
        tags: ['webhooks'],
        params: NameParams,
        response: { 200: Type.Composite([WebhookView, Type.Object({ dead_letters: Type.Array(DeadLetter) })]), ...errorReplies(400, 401, 404, 429) },
      },
    },
    async (req, reply) => {
      const t = await targets.get(req.params.name);
      if (!t) return reply.code(404).send(errorBody(404, `webhook ${req.params.name} not found`));
      return { ...publicView(t, await outbox.status(t.name)), dead_letters: await outbox.deadLetters(t.name, 20) };
    },
  );

  app.post<{ Body: WebhookTargetInput }>(
    '/v1/webhooks',
    {
      schema: {
        summary: 'Add a webhook target (URL checked against private addresses, webhooks.allow_private)',
        tags: ['webhooks'],
        body: WebhookTargetSchema,
        response: { 201: WebhookView, ...errorReplies(400, 401, 403, 409, 413, 415, 429) },
      },
    },
    async (req, reply) => {
      try {
        const t = await targets.add(req.body);
        return reply.code(201).send(publicView(t, await outbox.status(t.name)));
      } catch (err) {
        return sendError(reply, err);
      }
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/v1/webhooks/:name',
    { schema: { summary: 'Remove a webhook target added through the API, and its queue', tags: ['webhooks'], params: NameParams, response: { 204: Type.Null(), ...errorReplies(400, 401, 403, 404, 409, 429) } } },
    async (req, reply) => {
      try {
        await targets.remove(req.params.name);
        return reply.code(204).send();
      } catch (err) {
        return sendError(reply, err);
      }
    },
  );
}
