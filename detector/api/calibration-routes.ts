/**
 * GET /v1/calibration (every kind's offset, the keys changed last, the audit log),
 * GET /v1/calibration/:key_id (a key's thresholds, labels and audit) and
 * POST /v1/calibration/:key_id/reset (admin: the key's labels removed, its thresholds the
 * configured ones again; the audit log keeps what they were).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Calibrator } from '../alerts/calibrator.js';
import { CalibrationAuditSchema, CalibrationLabelSchema } from '../alerts/calibration-store.js';
import { actorOf } from './auth.js';
import { errorReplies } from './replies.js';

const KeyParams = Type.Object({ key_id: Type.String({ pattern: '^[0-9a-f]{32}$' }) }, { additionalProperties: false });

const OffsetsSchema = Type.Object({
  kind: Type.String(),
  key_offset: Type.Number({ description: "Sum of this key's labels of the kind, weighed by age." }),
  kind_offset: Type.Number({ description: "The kind's offset for every key (0 until it has detection.calibration.kind_min_labels labels)." }),
  offset: Type.Number({ description: 'Key and kind together, within -max_lower … +max_raise.' }),
  threshold: Type.Number({ description: 'The threshold this key alerts over for the kind (Alert v1 threshold).' }),
});

const LimitsSchema = Type.Object({
  key_step: Type.Number(),
  kind_step: Type.Number(),
  kind_min_labels: Type.Integer(),
  max_raise: Type.Number(),
  max_lower: Type.Number(),
  max_threshold: Type.Number(),
  half_life_days: Type.Number(),
});

const KeyReply = Type.Object({
  key_id: Type.String(),
  base_threshold: Type.Number({ description: 'detection.threshold' }),
  kinds: Type.Array(OffsetsSchema),
  labels: Type.Array(Type.Composite([CalibrationLabelSchema, Type.Object({ weight: Type.Number({ description: 'What the label counts now: 1 when given, halving every half-life.' }) })]), {
    description: 'Newest first.',
  }),
  audit: Type.Array(CalibrationAuditSchema, { description: 'Newest first.' }),
});

const OverviewReply = Type.Object({
  base_threshold: Type.Number(),
  limits: LimitsSchema,
  kinds: Type.Array(Type.Object({ kind: Type.String(), labels: Type.Integer(), counts: Type.Boolean({ description: 'Enough labels to move the kind.' }), offset: Type.Number() })),
  keys: Type.Array(Type.Object({ key_id: Type.String(), labels: Type.Integer(), kinds: Type.Array(OffsetsSchema) }), { description: 'Most recently changed first.' }),
  audit: Type.Array(CalibrationAuditSchema, { description: 'Newest first, every key.' }),
});

const ListQuery = Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Keys and audit entries at most.' }) }, { additionalProperties: false });

export function calibrationRoutes(app: FastifyInstance, calibration: Calibrator): void {
  const o = calibration.options;
  const limits = {
    key_step: o.keyStep,
    kind_step: o.kindStep,
    kind_min_labels: o.kindMinLabels,
    max_raise: o.maxRaise,
    max_lower: o.maxLower,
    max_threshold: o.maxThreshold,
    half_life_days: o.halfLifeMs / 86_400_000,
  };

  app.get<{ Querystring: { limit: number } }>(
    '/v1/calibration',
    {
      schema: {
        summary: "Thresholds moved by verdicts: every kind's offset, the keys changed most recently, the latest audit entries",
        tags: ['calibration'],
        querystring: ListQuery,
        response: { 200: OverviewReply, ...errorReplies(400, 401, 429) },
      },
    },
    async (req) => ({ ...(await calibration.overview(req.query.limit)), limits }),
  );

  app.get<{ Params: { key_id: string } }>(
    '/v1/calibration/:key_id',
    {
      schema: {
        summary: "A key's thresholds per kind, the labels behind them and its audit log (a key without labels has the configured threshold)",
        tags: ['calibration'],
        params: KeyParams,
        response: { 200: KeyReply, ...errorReplies(400, 401, 429) },
      },
    },
    async (req) => calibration.view(req.params.key_id),
  );

  app.post<{ Params: { key_id: string } }>(
    '/v1/calibration/:key_id/reset',
    {
      schema: {
        summary: "Remove every label of the key: its thresholds are the configured ones again (one audit entry per kind changed); the alerts' verdicts stay",
        tags: ['calibration'],
        params: KeyParams,
        response: { 200: KeyReply, ...errorReplies(400, 401, 403, 413, 415, 429) },
      },
    },
    async (req) => {
      await calibration.reset(req.params.key_id, actorOf(req));
      return calibration.view(req.params.key_id);
    },
  );
}
