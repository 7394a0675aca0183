/**
 * The dashboard at /ui/ (static pages from detector/ui/public) and its chart library at
 * /ui/vendor/ (only the named browser builds, read from node_modules). The pages carry no data
 * and need no token; every API call they make sends the token the user entered.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { basename } from 'node:path';
import { publicRoot, VENDOR_FILES, vendorRoots } from '../ui/index.js';

const vendorNames = new Set(Object.keys(VENDOR_FILES));

export async function uiRoutes(app: FastifyInstance): Promise<void> {
  // Plugins registered here stay inside this encapsulated context; the reply decorator is ours.
  await app.register(fastifyStatic, { root: publicRoot(), prefix: '/ui/', index: 'index.html', maxAge: 60_000 });
  await app.register(fastifyStatic, {
    root: vendorRoots(),
    prefix: '/ui/vendor/',
    decorateReply: false,
    allowedPath: (path) => vendorNames.has(basename(path)) && path === `/${basename(path)}`,
    maxAge: 86_400_000,
  });
  app.get('/ui', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/ui/'));
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/ui/'));
}
