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
    const m = /^Bearer ([\x21-\x7e]{1,1024})$/i.exec(authorization ?? '');
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
      const p = this.identify(req.headers.authorization);
      if (p === null) {
        const sent = req.headers.authorization !== undefined;
        return reply
          .code(401)
          .header('www-authenticate', sent ? 'Bearer error="invalid_token"' : 'Bearer')
          .send({ statusCode: 401, error: 'Unauthorized', message: sent ? 'the bearer token is not valid' : 'this route needs Authorization: Bearer <token>' });
      }
      if (scope === 'admin' && p.scope !== 'admin') {
        return reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: 'this route needs an admin token (api.admin_tokens)' });
      }
    };
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; default: read for GET, admin otherwise. */
    scope?: Scope;
  }
}
