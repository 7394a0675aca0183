/**
 * GET /v1/alerts and GET /v1/alerts/:id, with schemas from contracts/. `format=ocsf` or `format=ecs`
 * answers each alert as an OCSF 1.3.0 Detection Finding or an ECS document instead of Alert v1.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AlertSchema, AlertStatusSchema, SeveritySchema, type Alert } from '../../contracts/index.js';
import type { AlertFilter, AlertStore } from '../alerts/alert-store.js';
import { ALERT_ENCODING_NAMES, ALERT_ENCODINGS, type AlertEncoding } from '../encode/index.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { errorBody, errorReplies } from './replies.js';

/**
 * How alerts are answered. Checked in the handler rather than as an enum, so that a wrong value is a
 * 400 naming the allowed ones.
 */
function formatParam() {
  return Type.String({
    maxLength: 32,
    description: `${ALERT_ENCODING_NAMES.join(', ')}: Alert v1 (default), OCSF 1.3.0 Detection Finding (contracts/ocsf-1.3.0-detection-finding.json) or Elastic Common Schema document. The reply schema documented here is Alert v1's.`,
  });
}

const ListQuery = Type.Object(
  {
    key_id: Type.Optional(Type.String({ pattern: '^[0-9a-f]{32}$' })),
    severity: Type.Optional(SeveritySchema),
    status: Type.Optional(AlertStatusSchema),
    gateway: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
    from: Type.Optional(Type.String({ maxLength: 40, description: 'Event time lower bound: ms since epoch or ISO 8601.' })),
    to: Type.Optional(Type.String({ maxLength: 40, description: 'Event time upper bound: ms since epoch or ISO 8601.' })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 64, description: 'next_cursor of the previous page.' })),
    format: Type.Optional(formatParam()),
  },
  { additionalProperties: false },
);

const ListReply = Type.Object({ alerts: Type.Array(AlertSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) });
export const AlertIdParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{24}$' }) }, { additionalProperties: false });
const OneQuery = Type.Object({ format: Type.Optional(formatParam()) }, { additionalProperties: false });

/** The encoding asked for, or null after answering 400. */
function encodingOf(format: string | undefined, reply: FastifyReply): AlertEncoding | null {
  if (format === undefined) return 'alert';
  if ((ALERT_ENCODING_NAMES as readonly string[]).includes(format)) return format as AlertEncoding;
  void reply.code(400).send(errorBody(400, `querystring/format must be one of ${ALERT_ENCODING_NAMES.join(', ')}`));
  return null;
}

/**
 * Alert v1 replies go through the route's response schema; the other encodings have schemas of
 * their own (contracts/), so they are sent as plain JSON.
 */
function sendEncoded(reply: FastifyReply, payload: unknown) {
  return reply.type('application/json; charset=utf-8').serializer(JSON.stringify).send(payload);
}

/** ms since epoch or an ISO 8601 date; null when it is neither. */
function parseTime(s: string): number | null {
  if (/^[0-9]{1,15}$/.test(s)) return Number(s);
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : null;
}

interface ListQueryT {
  key_id?: string;
  severity?: Alert['severity'];
  status?: Alert['status'];
  gateway?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
  format?: string;
}

export function alertsRoutes(app: FastifyInstance, store: AlertStore): void {
  app.get<{ Querystring: ListQueryT }>(
    '/v1/alerts',
    { schema: { summary: 'Alerts, newest event time first', tags: ['alerts'], querystring: ListQuery, response: { 200: ListReply, ...errorReplies(400, 401, 429) } } },
    async (req, reply) => {
      const q = req.query;
      const encoding = encodingOf(q.format, reply);
      if (encoding === null) return reply;
      const filter: AlertFilter = {};
      if (q.key_id !== undefined) filter.key_id = q.key_id;
      if (q.severity !== undefined) filter.severity = q.severity;
      if (q.status !== undefined) filter.status = q.status;
      if (q.gateway !== undefined) filter.gateway = q.gateway;
      for (const k of ['from', 'to'] as const) {
        const v = q[k];
        if (v === undefined) continue;
        const t = parseTime(v);
        if (t === null) return reply.code(400).send(errorBody(400, `querystring/${k} must be ms since epoch or an ISO 8601 time`));
        filter[k] = t;
      }
      let after = null;
      if (q.cursor !== undefined) {
        after = decodeCursor(q.cursor);
        if (after === null) return reply.code(400).send(errorBody(400, 'querystring/cursor is not a cursor this API returned'));
      }
      const page = await store.list(filter, q.limit, after);
      const next_cursor = page.next ? encodeCursor(page.next) : null;
      if (encoding === 'alert') return { alerts: page.alerts, next_cursor };
      const encode = ALERT_ENCODINGS[encoding];
      return sendEncoded(reply, { alerts: page.alerts.map((a) => encode(a)), next_cursor });
    },
  );

  app.get<{ Params: { id: string }; Querystring: { format?: string } }>(
    '/v1/alerts/:id',
    { schema: { summary: 'One alert', tags: ['alerts'], params: AlertIdParams, querystring: OneQuery, response: { 200: AlertSchema, ...errorReplies(400, 401, 404, 429) } } },
    async (req, reply) => {
      const encoding = encodingOf(req.query.format, reply);
      if (encoding === null) return reply;
      const alert = await store.get(req.params.id);
      if (!alert) return reply.code(404).send(errorBody(404, `alert ${req.params.id} not found`));
      return encoding === 'alert' ? alert : sendEncoded(reply, ALERT_ENCODINGS[encoding](alert));
    },
  );
}
