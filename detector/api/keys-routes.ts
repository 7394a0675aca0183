/**
 * GET /v1/keys (keys ranked by their latest window score) and GET /v1/keys/:key_id (what the key
 * usually does: top routes, hour-of-week activity, networks, baselines, recent scores).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { KeyRiskStore } from '../alerts/key-risk-store.js';
import type { KeyState } from '../profiles/key-state.js';
import type { ProfileStore } from '../profiles/store.js';
import { decodeRiskCursor, encodeRiskCursor } from './cursor.js';
import { errorBody, errorReplies } from './replies.js';

const KeyRiskSchema = Type.Object({ key_id: Type.String(), score: Type.Number(), window_end: Type.Integer() });
const ScorePoint = Type.Object({ window_end: Type.Integer(), score: Type.Number() });
const Weighted = (name: string) => Type.Object({ [name]: Type.String(), share: Type.Number() });

const ListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 96, description: 'next_cursor of the previous page.' })),
  },
  { additionalProperties: false },
);

const KeyProfileReply = Type.Object({
  key_id: Type.String(),
  first_seen: Type.Union([Type.Integer(), Type.Null()]),
  windows: Type.Integer({ description: 'Closed active windows in the profile.' }),
  latest: Type.Union([ScorePoint, Type.Null()]),
  recent_scores: Type.Array(ScorePoint, { description: 'Newest first.' }),
  top_routes: Type.Array(Weighted('route')),
  hour_of_week: Type.Array(Type.Number(), { description: '168 shares of activity, UTC, Monday 00:00 first.' }),
  networks: Type.Array(Weighted('network')),
  user_agents: Type.Integer({ description: 'Distinct user agents in the profile.' }),
  usual: Type.Object({
    requests: Type.Number(),
    distinct_objects: Type.Number(),
    distinct_objects_24h: Type.Number(),
    sequential_share: Type.Number(),
    error_share: Type.Number(),
    max_page: Type.Number(),
    max_limit: Type.Number(),
  }),
  open_window: Type.Union([Type.Object({ start: Type.Integer(), end: Type.Integer(), requests: Type.Integer() }), Type.Null()]),
});

const r4 = (x: number) => Math.round(x * 10_000) / 10_000;

function shares(h: Record<string, number>, name: 'route' | 'network', max: number): Array<Record<string, string | number>> {
  const total = Object.values(h).reduce((a, b) => a + b, 0) || 1;
  return Object.entries(h)
    .sort((a, b) => b[1] - a[1])
    .slice(0, max)
    .map(([k, v]) => ({ [name]: k, share: r4(v / total) }));
}

function summary(keyId: string, st: KeyState | undefined, recent: Array<{ window_end: number; score: number }>) {
  const p = st?.profile;
  const how = p?.how ?? [];
  const total = how.reduce((a, b) => a + b, 0) || 1;
  const m = (e: { m: number } | undefined) => r4(e?.m ?? 0);
  return {
    key_id: keyId,
    first_seen: p?.first_seen ?? null,
    windows: p?.windows ?? 0,
    latest: recent[0] ?? null,
    recent_scores: recent,
    top_routes: p ? shares(p.routes, 'route', 10) : [],
    hour_of_week: how.map((x) => r4(x / total)),
    networks: p ? shares(p.networks, 'network', 10) : [],
    user_agents: p ? Object.keys(p.agents).length : 0,
    usual: {
      requests: m(p?.base.requests),
      distinct_objects: m(p?.base.distinct),
      distinct_objects_24h: m(p?.base.distinct_24h),
      sequential_share: m(p?.base.seq),
      error_share: m(p?.base.errors),
      max_page: r4(p?.max_page ?? 0),
      max_limit: r4(p?.max_limit ?? 0),
    },
    open_window: st?.window ? { start: st.window.start, end: st.window.end, requests: st.window.requests } : null,
  };
}

export function keysRoutes(app: FastifyInstance, deps: { risk: KeyRiskStore; profiles: ProfileStore }): void {
  app.get<{ Querystring: { limit: number; cursor?: string } }>(
    '/v1/keys',
    {
      schema: {
        summary: 'Keys ranked by the score of their latest closed window, highest first',
        tags: ['keys'],
        querystring: ListQuery,
        response: { 200: Type.Object({ keys: Type.Array(KeyRiskSchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }), ...errorReplies(400, 401, 429) },
      },
    },
    async (req, reply) => {
      let after = null;
      if (req.query.cursor !== undefined) {
        after = decodeRiskCursor(req.query.cursor);
        if (after === null) return reply.code(400).send(errorBody(400, 'querystring/cursor is not a cursor this API returned'));
      }
      const page = await deps.risk.top(req.query.limit, after);
      return { keys: page.keys, next_cursor: page.next ? encodeRiskCursor(page.next) : null };
    },
  );

  app.get<{ Params: { key_id: string } }>(
    '/v1/keys/:key_id',
    {
      schema: {
        summary: "A key's profile: what it usually does, and its recent window scores",
        tags: ['keys'],
        params: Type.Object({ key_id: Type.String({ pattern: '^[0-9a-f]{32}$' }) }, { additionalProperties: false }),
        response: { 200: KeyProfileReply, ...errorReplies(400, 401, 404, 429) },
      },
    },
    async (req, reply) => {
      const id = req.params.key_id;
      const [states, recent] = await Promise.all([deps.profiles.load([id]), deps.risk.recent(id)]);
      const st = states.get(id);
      if (!st && recent.length === 0) return reply.code(404).send(errorBody(404, `key ${id} has no profile`));
      return summary(id, st, recent);
    },
  );
}
