import { describe, expect, it } from 'vitest';
import { classifySegment, templateRoute, type SegmentClass } from '../../../agent/sanitize/route.js';
import { seeded } from '../../support/seeded.js';

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

  it('classifies and templates as the rules written as regexes and split/join do, on random paths', () => {
    // The rules of route.ts in their plain form: the scan there must give the same answers.
    const reference = (seg: string): SegmentClass => {
      if (/^[0-9]{1,15}$/.test(seg)) return 'int';
      if (/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(seg)) return 'uuid';
      if (/^[0-9a-fA-F]{16,}$/.test(seg)) return 'hex';
      const at = seg.lastIndexOf('@');
      if (at > 0 && seg.indexOf('.', at) > at + 1) return 'email';
      const digits = seg.replace(/[^0-9]/g, '').length;
      const letters = seg.replace(/[^A-Za-z]/g, '').length;
      const other = seg.length - digits - letters - (seg.match(/@/g)?.length ?? 0);
      if (seg.length > 64 || other > 2 || (digits > 0 && letters + digits >= 4 && digits * 4 >= seg.length)) return 'id';
      return null;
    };
    const referenceRoute = (path: string) => {
      const segs = path.split('/');
      const kept = segs.slice(0, 33);
      const objects: Array<number | string> = [];
      const parts = kept.map((seg) => {
        const cls = seg === '' ? null : reference(seg);
        if (cls === null) return seg;
        if (objects.length < 16) objects.push(cls === 'int' ? Number(seg) : hash(seg));
        return `{${cls}}`;
      });
      let route = parts.join('/') + (segs.length > 33 ? '/{more}' : '');
      if (route.length > 512) route = `${route.slice(0, 505)}/{more}`;
      return { route: route === '' ? '/' : route, objects };
    };
    const r = seeded(7);
    const pick = (chars: string, n: number) => Array.from({ length: n }, () => chars[Math.floor(r() * chars.length)]).join('');
    const segment = (): string => {
      const kind = r();
      if (kind < 0.2) return pick('0123456789', 1 + Math.floor(r() * 20));
      if (kind < 0.35) return pick('0123456789abcdefABCDEFg', 10 + Math.floor(r() * 30));
      if (kind < 0.45) return r() < 0.5 ? '3f2b8c1e-9d4a-4b7e-8c2f-1a2b3c4d5e6f' : pick('0123456789abcdef-', 36);
      if (kind < 0.55) return `${pick('ab.@', 1 + Math.floor(r() * 6))}@${pick('ab.', Math.floor(r() * 6))}`;
      return pick('afFzQ079-_.@~é', Math.floor(r() * (r() < 0.05 ? 100 : 12)));
    };
    for (let n = 0; n < 20_000; n++) {
      const segments = Array.from({ length: Math.floor(r() * (r() < 0.1 ? 60 : 6)) }, segment);
      const path = (r() < 0.9 ? '/' : '') + segments.join('/');
      for (const seg of path.split('/')) if (seg !== '') expect(classifySegment(seg), seg).toBe(reference(seg));
      expect(templateRoute(path, hash), path).toEqual(referenceRoute(path));
    }
  });

  it('stays linear on hostile input', () => {
    const evil = `/${'a@'.repeat(50_000)}/${'-'.repeat(100_000)}`;
    const t0 = process.hrtime.bigint();
    templateRoute(evil, hash);
    // Generous bound; a backtracking regex would take seconds here.
    expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeLessThan(500);
  });
});
