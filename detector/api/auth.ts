/**
 * Bearer-token authentication with two scopes: read (GET routes) and admin (everything). Tokens
 * are compared as SHA-256 digests with timingSafeEqual, against every configured token without an
 * early exit, so timing says nothing about how much of a token matched. No token configured: the
 * API is open (the entry point warns).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';

export type Scope = 'public' | 'read' | 'admin';

export interface Principal {
  scope: 'read' | 'admin';
  /** Short digest of the token: names the caller in rate limits, never the token itself. */
  id: string;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The shape of a bearer credential; the scheme is case-insensitive (RFC 9110), the token is not. */
const BEARER = /^Bearer ([\x21-\x7e]{1,1024})$/i;

/** How many Authorization headers the request carried (Node keeps only the first in `headers`). */
function authorizationCount(raw: string[]): number {
  let n = 0;
  for (let i = 0; i < raw.length; i += 2) if ((raw[i] as string).length === 13 && (raw[i] as string).toLowerCase() === 'authorization') n++;
  return n;
}

export class ApiAuth {
  private readonly tokens: Array<{ hash: Buffer; scope: Principal['scope'] }>;

  constructor(tokens: { read?: string[]; admin?: string[] } = {}) {
    this.tokens = [
      ...(tokens.read ?? []).map((t) => ({ hash: digest(t), scope: 'read' as const })),
      ...(tokens.admin ?? []).map((t) => ({ hash: digest(t), scope: 'admin' as const })),
    ];
  }

  /** No token configured: every route is open. */
  get open(): boolean {
    return this.tokens.length === 0;
  }

  identify(authorization: string | undefined): Principal | null {
    const m = BEARER.exec(authorization ?? '');
    if (!m) return null;
    const h = digest(m[1] as string);
    let scope: Principal['scope'] | null = null;
    for (const t of this.tokens) {
      if (timingSafeEqual(h, t.hash) && scope !== 'admin') scope = t.scope;
    }
    return scope === null ? null : { scope, id: h.subarray(0, 8).toString('hex') };
  }

  /** The onRequest hook of a route that needs `scope`. */
  hook(scope: Scope): onRequestHookHandler {
    return async (req: FastifyRequest, reply: FastifyReply) => {
      if (scope === 'public' || this.open) return;
      // Two credentials are ambiguous (a proxy in front may read the other one): refuse both.
      if (authorizationCount(req.raw.rawHeaders) > 1) {
        return reply
          .code(400)
          .header('www-authenticate', 'Bearer error="invalid_request"')
          .send({ statusCode: 400, error: 'Bad Request', message: 'the request has more than one Authorization header: send exactly one' });
      }
      const sent = req.headers.authorization;
      const p = this.identify(sent);
      if (p === null) {
        return reply
          .code(401)
          // RFC 6750: no error code when the client did not try a bearer token at all.
          .header('www-authenticate', sent !== undefined && /^bearer\b/i.test(sent) ? 'Bearer error="invalid_token"' : 'Bearer')
          .send({ statusCode: 401, error: 'Unauthorized', message: unauthorized(sent) });
      }
      if (scope === 'admin' && p.scope !== 'admin') {
        return reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: 'this route needs an admin token (api.admin_tokens)' });
      }
      req.principal = p;
    };
  }
}

/** Who made a change, for audit logs: the token's short digest (never the token), or `open` without tokens. */
export function actorOf(req: FastifyRequest): string {
  return req.principal ? `token:${req.principal.id}` : 'open';
}

/** Why a request is not authenticated, without a word of what it sent. */
function unauthorized(sent: string | undefined): string {
  if (sent === undefined) return 'this route needs Authorization: Bearer <token>';
  if (!BEARER.test(sent)) {
    return /^bearer\b/i.test(sent)
      ? 'the Authorization header must be "Bearer <token>": one space, then the token (printable ASCII, no spaces, at most 1024 characters)'
      : 'the Authorization header must use the Bearer scheme: Authorization: Bearer <token>';
  }
  return 'the bearer token is not valid';
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, set by the auth hook; null on an open API or a public route. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Who may call the route; default: read for GET, admin otherwise. */
    scope?: Scope;
  }
}
