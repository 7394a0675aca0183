import { describe, expect, it } from 'vitest';
import { classifySegment, templateRoute } from '../../../agent/sanitize/route.js';

const hash = (s: string) => `h${s.length}`;

describe('route templating', () => {
  it.each([
    ['/v1/customers/123', '/v1/customers/{int}', [123]],
    ['/v1/customers/123/orders/9', '/v1/customers/{int}/orders/{int}', [123, 9]],
    ['/v1/invoices/3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f', '/v1/invoices/{uuid}', ['h36']],
    ['/v1/blobs/deadbeefdeadbeef00', '/v1/blobs/{hex}', ['h18']],
    ['/v1/users/jane.doe@example.com', '/v1/users/{email}', ['h20']],
    ['/v1/products/SKU-12345', '/v1/products/{id}', ['h9']],
    ['/v2beta/oauth2/token', '/v2beta/oauth2/token', []],
    ['/', '/', []],
    ['/v1/customers/', '/v1/customers/', []],
  ])('%s → %s', (path, route, objects) => {
    expect(templateRoute(path, hash)).toEqual({ route, objects });
  });

  it('keeps words as words', () => {
    for (const w of ['customers', 'v1', 'healthz', 'oauth2', 'api']) expect(classifySegment(w)).toBeNull();
  });

  it('bounds segments, objects and length', () => {
    const many = `/${Array.from({ length: 100 }, (_, i) => String(i)).join('/')}`;
    const t = templateRoute(many, hash);
    expect(t.objects).toHaveLength(16);
    expect(t.route.endsWith('/{more}')).toBe(true);
    expect(t.route.length).toBeLessThanOrEqual(512);
    const long = `/${'z'.repeat(5000)}`;
    expect(templateRoute(long, hash).route).toBe('/{id}');
  });

  it('stays linear on hostile input', () => {
    const evil = `/${'a@'.repeat(50_000)}/${'-'.repeat(100_000)}`;
    const t0 = process.hrtime.bigint();
    templateRoute(evil, hash);
    // Generous bound; a backtracking regex would take seconds here.
    expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeLessThan(500);
  });
});
