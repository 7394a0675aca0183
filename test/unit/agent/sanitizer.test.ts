import { describe, expect, it } from 'vitest';
import { validateAccessEvent } from '../../../contracts/index.js';
import { parseEnvoyJson } from '../../../agent/parsers/envoy-json.js';
import { parseNginxJson } from '../../../agent/parsers/nginx-json.js';
import type { RawRecord } from '../../../agent/parsers/index.js';
import { consumerIdOf } from '../../../agent/sanitize/consumer.js';
import { computeKeyId } from '../../../agent/sanitize/key-id.js';
import { Sanitizer } from '../../../agent/sanitize/index.js';

const PARSE = { maxLineBytes: 65536, keyHeaders: ['x-api-key'], bearer: true };

const SECRET = 'sanitizer-secret-0123456789';
const policy = {
  secret: SECRET,
  gateway: 'nginx',
  host: 'gw1',
  keyParams: ['api_key', 'token'],
  rawParams: [],
  truncateIp: false,
};

function raw(over: Partial<RawRecord>): RawRecord {
  return {
    requestId: 'c'.repeat(32),
    ts: 1_793_600_000_000,
    ip: '10.1.2.3',
    method: 'GET',
    path: '/v1/customers/42',
    query: '',
    status: 200,
    requestBytes: 10,
    responseBytes: 20,
    latencyMs: 5,
    userAgent: 'ua',
    apiKey: null,
    keyId: null,
    ...over,
  };
}

describe('sanitizer', () => {
  it('builds a valid AccessEvent with key_id, route, objects and shapes', () => {
    const s = new Sanitizer(policy);
    const e = s.toEvent(raw({ apiKey: 'sk_live_1', query: 'page=2' }), 'line');
    expect(validateAccessEvent(e)).toBe(true);
    expect(e).toMatchObject({
      key_id: computeKeyId(SECRET, 'sk_live_1'),
      request: { route: '/v1/customers/{int}', objects: [42], params: [{ name: 'page', type: 'int', value: 2 }] },
      source: { gateway: 'nginx', host: 'gw1' },
    });
  });

  it('plants canaries in key, query values and path ids; none reaches the event', () => {
    const s = new Sanitizer(policy);
    const canaries = ['CANARY-KEY-7f3a', 'CANARY-QUERY-91b2', 'canary.path@example.com', 'CANARY-TOKEN-55aa'];
    const events = [
      s.toEvent(raw({ apiKey: canaries[0] as string, query: `q=${canaries[1]}&token=${canaries[3]}` }), 'l1'),
      s.toEvent(raw({ path: `/v1/users/${canaries[2]}`, query: `token=${canaries[3]}` }), 'l2'),
    ];
    const text = JSON.stringify(events);
    for (const c of canaries) expect(text).not.toContain(c);
    expect(events[1]?.key_id).toBe(computeKeyId(SECRET, canaries[3] as string));
  });

  it('prefers the header key over a query key and a gateway key_id over both', () => {
    const s = new Sanitizer(policy);
    expect(s.toEvent(raw({ apiKey: 'h', query: 'api_key=q' }), 'l').key_id).toBe(computeKeyId(SECRET, 'h'));
    expect(s.toEvent(raw({ apiKey: 'h', keyId: 'd'.repeat(32) }), 'l').key_id).toBe('d'.repeat(32));
    expect(s.toEvent(raw({}), 'l').key_id).toBeNull();
  });

  it('derives a stable id when the gateway logged none, and cleans hostile fields', () => {
    const s = new Sanitizer({ ...policy, truncateIp: true });
    const a = s.toEvent(raw({ requestId: null }), 'same line');
    const b = s.toEvent(raw({ requestId: null }), 'same line');
    expect(a.id).toBe(b.id);
    expect(a.id).toMatch(/^[0-9a-f]{32}$/);
    const e = s.toEvent(raw({ method: 'G\r\nET', ip: '10.1.2.3"}', userAgent: 'u'.repeat(1000) }), 'x');
    expect(e.request.method).toBe('OTHER');
    expect(e.client.ip).toBe('');
    expect(e.client.ua).toHaveLength(256);
    expect(s.toEvent(raw({ ip: '198.51.100.77' }), 'x').client.ip).toBe('198.51.100.0');
    expect(validateAccessEvent(e)).toBe(true);
  });

  it('turns a parsed log line into an event end to end', () => {
    const line = JSON.stringify({
      time: '1793600000.100', request_time: '0.100', request_id: 'e'.repeat(32), remote_addr: '10.0.0.1', method: 'GET',
      uri: '/v1/orders/5', args: 'api_key=sk_query_canary', status: '404', request_length: '1', bytes_sent: '2',
      user_agent: 'x', api_key: '', key_id: '',
    });
    const r = parseNginxJson(line, PARSE);
    if (typeof r === 'string') throw new Error(r);
    const e = new Sanitizer(policy).toEvent(r, line);
    expect(e.ts).toBe(1_793_600_000_000);
    expect(e.response.status).toBe(404);
    expect(JSON.stringify(e)).not.toContain('sk_query_canary');
  });

  it('adds the gateway context: names in the contract shape, the consumer as a keyed hash, nothing when there is none', () => {
    const s = new Sanitizer(policy);
    const e = s.toEvent(raw({ gateway: { service: 'orders-api', routeName: 'has space', consumer: 'c0ffee' } }), 'l');
    expect(e.context).toEqual({ consumer_id: consumerIdOf(SECRET, 'c0ffee'), service: 'orders-api' });
    expect(validateAccessEvent(e)).toBe(true);
    expect(s.toEvent(raw({}), 'l').context).toBeUndefined();
    expect(s.toEvent(raw({ gateway: { service: '', routeName: 'x'.repeat(129), consumer: '' } }), 'l').context).toBeUndefined();
    expect(JSON.stringify(s.toEvent(raw({ gateway: { service: 'svc', routeName: 'r', consumer: 'c0ffee' } }), 'l'))).not.toContain('c0ffee');
  });

  it("puts an Envoy line's route name and upstream cluster in the event's context", () => {
    const line = JSON.stringify({
      start_time: '2026-11-02T09:15:00.125Z', method: 'GET', path: '/v1/orders/7', response_code: '200', api_key: 'sk_live_x',
      route_name: 'httproute/default/api/rule/0/match/0/api', upstream_cluster: 'outbound|8080||orders.default.svc.cluster.local',
    });
    const r = parseEnvoyJson(line, PARSE);
    if (typeof r === 'string') throw new Error(r);
    const e = new Sanitizer({ ...policy, gateway: 'envoy' }).toEvent(r, line);
    expect(e.context).toEqual({ service: 'outbound|8080||orders.default.svc.cluster.local', route_name: 'httproute/default/api/rule/0/match/0/api' });
    expect(validateAccessEvent(e)).toBe(true);
  });

  it("makes a client's own x-request-id unique per line, so repeating one hides no request", () => {
    const s = new Sanitizer({ ...policy, gateway: 'envoy' });
    const line = (path: string, time: string) =>
      JSON.stringify({ start_time: time, method: 'GET', path, response_code: '200', request_id: 'same-id-every-time', api_key: 'sk_live_x' });
    const a = line('/v1/customers/1', '2026-11-02T09:15:00.125Z');
    const b = line('/v1/customers/2', '2026-11-02T09:15:00.126Z');
    const event = (l: string, offset?: number) => {
      const r = parseEnvoyJson(l, PARSE);
      if (typeof r === 'string') throw new Error(r);
      return offset === undefined ? s.toEvent(r, l) : s.toEvent(r, l, '7:0', offset);
    };
    const ids = [event(a).id, event(b).id, event(a, 0).id, event(b, 200).id];
    expect(new Set(ids).size).toBe(4);
    for (const id of ids) expect(id).toMatch(/^same-id-every-time\.[0-9a-f]{32}$/);
    // The same line read again (a restart, a spool drain) has the same id: redelivery stays a duplicate.
    expect(event(a).id).toBe(ids[0]);
    expect(event(a, 0).id).toBe(ids[2]);
    expect(validateAccessEvent(event(a))).toBe(true);
    // NGINX's $request_id is the gateway's own: it is the event id as it is.
    expect(s.toEvent(raw({ requestId: 'c'.repeat(32) }), 'l').id).toBe('c'.repeat(32));
  });

  it('takes the consumer from a JWT subject only when told to', () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const jwt = `${b64({ alg: 'HS256' })}.${b64({ sub: 'user-17', scope: 'read' })}.c2lnbmF0dXJl`;
    expect(new Sanitizer(policy).toEvent(raw({ apiKey: jwt }), 'l').context).toBeUndefined();
    const s = new Sanitizer({ ...policy, jwtConsumer: true });
    const e = s.toEvent(raw({ apiKey: jwt }), 'l');
    expect(e.context).toEqual({ consumer_id: consumerIdOf(SECRET, 'user-17') });
    expect(e.key_id).toBe(computeKeyId(SECRET, jwt));
    // Another token of the same subject: same consumer, another key.
    const other = `${b64({ alg: 'HS256' })}.${b64({ sub: 'user-17', iat: 2 })}.b3RoZXI`;
    expect(s.toEvent(raw({ apiKey: other }), 'l').context?.consumer_id).toBe(e.context?.consumer_id);
    for (const notJwt of ['sk_live_1', 'a.b', `${b64({})}.${b64({ sub: 7 })}.x`, `${b64({})}.${b64({ sub: '' })}.x`, 'x.!!!.y', `x.${b64('just a string')}.y`, `x.${b64({ sub: 'u' })}.y.z`]) {
      expect(s.toEvent(raw({ apiKey: notJwt }), 'l').context, notJwt).toBeUndefined();
    }
  });
});
