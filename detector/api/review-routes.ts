/**
 * POST /v1/alerts/:id/ack, /resolve and /feedback, DELETE /v1/alerts/:id/feedback (admin). A status
 * change is published (NATS, webhooks) before it is stored; a false-positive verdict suppresses the
 * key and kind; with calibration, a verdict moves the key's threshold and withdrawing it moves it back.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AlertSchema, VerdictSchema, type Verdict } from '../../contracts/index.js';
import type { AlertReview, ReviewAction } from '../alerts/review.js';
import { AlertIdParams } from './alerts-routes.js';
import { actorOf } from './auth.js';
import { errorBody, errorReplies } from './replies.js';

const FeedbackBody = Type.Object(
  {
    verdict: VerdictSchema,
    note: Type.String({ maxLength: 2000, default: '', description: 'Why: kept on the alert and in the next training set.' }),
  },
  { additionalProperties: false },
);

const responses = { 200: AlertSchema, ...errorReplies(400, 401, 403, 404, 409, 413, 415, 429, 503) };

export function reviewRoutes(app: FastifyInstance, review: AlertReview): void {
  const apply = async (id: string, action: ReviewAction, reply: FastifyReply) => {
    let r;
    try {
      r = await review.apply(id, action);
    } catch (err) {
      app.log.error({ err: err instanceof Error ? err.message : String(err), alert_id: id }, 'alert change failed');
      return reply.code(503).send(errorBody(503, 'the change could not be published or stored (NATS or Redis unreachable); nothing changed, try again'));
    }
    if (r.outcome === 'not_found') return reply.code(404).send(errorBody(404, `alert ${id} not found`));
    if (r.outcome === 'conflict') return reply.code(409).send(errorBody(409, r.message));
    return r.alert;
  };
  for (const [path, kind, summary] of [
    ['/v1/alerts/:id/ack', 'ack', 'Acknowledge an open alert'],
    ['/v1/alerts/:id/resolve', 'resolve', 'Resolve an open or acknowledged alert'],
  ] as const) {
    // No body: anything beyond `{}` is refused by buildApi rather than ignored.
    app.post<{ Params: { id: string } }>(path, { schema: { summary, tags: ['alerts'], params: AlertIdParams, response: responses } }, async (req, reply) => apply(req.params.id, { kind }, reply));
  }

  app.post<{ Params: { id: string }; Body: { verdict: Verdict; note: string } }>(
    '/v1/alerts/:id/feedback',
    {
      schema: {
        summary: 'True or false positive, with a note; false positives suppress the key and kind for api.false_positive_suppress_hours',
        tags: ['alerts'],
        params: AlertIdParams,
        body: FeedbackBody,
        response: responses,
      },
    },
    async (req, reply) => apply(req.params.id, { kind: 'feedback', verdict: req.body.verdict, note: req.body.note, actor: actorOf(req) }, reply),
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/alerts/:id/feedback',
    {
      schema: {
        summary:
          'Withdraw the verdict: the threshold change it made is undone (GET /v1/calibration/:key_id), its suppression lifted; a false positive opens again (or is resolved when another alert of the key is active). 409 when the alert has no verdict',
        tags: ['alerts'],
        params: AlertIdParams,
        response: responses,
      },
    },
    async (req, reply) => apply(req.params.id, { kind: 'withdraw', actor: actorOf(req) }, reply),
  );
}
