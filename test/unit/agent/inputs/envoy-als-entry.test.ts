import { describe, expect, it } from 'vitest';
import { isRequestEnd, mapHttpEntry } from '../../../../agent/inputs/envoy-als/entry.js';
import type { AlsHttpEntry } from '../../../../agent/inputs/envoy-als/messages.js';
import type { RawRecord } from '../../../../agent/parsers/raw-record.js';

const PARSE = { maxLineBytes: 65536, keyHeaders: ['x-api-key'], bearer: true };

/** An entry as proto-loader decodes it (defaults filled, unset messages null). */
function entry(over: { common?: Partial<AlsHttpEntry['common_properties'] & object>; request?: Partial<AlsHttpEntry['request'] & object>; response?: AlsHttpEntry['response'] } = {}): AlsHttpEntry {
  return {
    common_properties: {
      downstream_remote_address: { socket_address: { address: '203.0.113.9', port_value: 51234 } },
      start_time: { seconds: 1_793_600_000, nanos: 123_456_789 },
      time_to_last_downstream_tx_byte: { seconds: 0, nanos: 42_600_000 },
      upstream_cluster: '',
      route_name: '',
      duration: null,
      stream_id: '',
      access_log_type: 'NotSet',
      ...over.common,
    },
    request: {
      request_method: 'GET',
      path: '/v1/customers/7?page=2',
      user_agent: 'curl/8.5.0',
      forwarded_for: '',
      request_id: '6b8c1f2e-1d7a-4a4e-9a56-1f0b7c9d2e11',
      original_path: '',
      request_headers_bytes: 300,
      request_body_bytes: 21,
      request_headers: { 'x-api-key': 'sk_live_abc', cookie: 'session=sk_canary_9' },
      ...over.request,
    },
    response: over.response === undefined ? { response_code: { value: 200 }, response_headers_bytes: 100, response_body_bytes: 512 } : over.response,
  };
}

describe('envoy ALS entry mapping', () => {
  it('maps start_time, latency, client, request, response and key', () => {
    expect(mapHttpEntry(entry(), PARSE)).toEqual({
      requestId: '6b8c1f2e-1d7a-4a4e-9a56-1f0b7c9d2e11',
      requestIdFromClient: true,
      ts: 1_793_600_000_123,
      ip: '203.0.113.9',
      method: 'GET',
      path: '/v1/customers/7',
      query: 'page=2',
      status: 200,
      requestBytes: 321,
      responseBytes: 512,
      latencyMs: 43,
      userAgent: 'curl/8.5.0',
      apiKey: 'sk_live_abc',
      keyId: null,
    });
  });

  it("takes Envoy's upstream cluster and route name as the gateway's service and route", () => {
    expect(mapHttpEntry(entry({ common: { upstream_cluster: 'outbound|8080||reviews.default.svc.cluster.local', route_name: 'httproute/default/api/rule/0' } }), PARSE)).toMatchObject({
      gateway: { service: 'outbound|8080||reviews.default.svc.cluster.local', routeName: 'httproute/default/api/rule/0', consumer: '' },
    });
    expect(mapHttpEntry(entry({ common: { route_name: 'customers' } }), PARSE)).toMatchObject({ gateway: { service: '', routeName: 'customers' } });
  });

  it('never copies a header other than the key into the record', () => {
    expect(JSON.stringify(mapHttpEntry(entry(), PARSE))).not.toContain('sk_canary_9');
  });

  it('prefers the path the client sent over a rewritten one', () => {
    expect(mapHttpEntry(entry({ request: { original_path: '/public/x?y=1', path: '/internal/x' } }), PARSE)).toMatchObject({ path: '/public/x', query: 'y=1' });
  });

  it('falls back to the first forwarded_for address, to duration, to a Bearer token', () => {
    const r = mapHttpEntry(
      entry({
        common: { downstream_remote_address: null, time_to_last_downstream_tx_byte: null, duration: { seconds: 1, nanos: 500_000_000 } },
        request: { forwarded_for: '198.51.100.7, 10.0.0.1', request_headers: { authorization: 'Bearer tok_1' } },
      }),
      PARSE,
    );
    expect(r).toMatchObject({ ip: '198.51.100.7', latencyMs: 1500, apiKey: 'tok_1' });
    expect(mapHttpEntry(entry({ request: { request_headers: { authorization: 'Bearer tok_1' } } }), { ...PARSE, bearer: false })).toMatchObject({ apiKey: null });
  });

  it('maps methods outside Envoy’s enum to OTHER and a missing response to status 0', () => {
    expect(mapHttpEntry(entry({ request: { request_method: 'METHOD_UNSPECIFIED' }, response: null }), PARSE)).toMatchObject({ method: 'OTHER', status: 0, responseBytes: 0 });
  });

  it('derives a stable id when Envoy sent no request id', () => {
    const a = mapHttpEntry(entry({ request: { request_id: '' } }), PARSE) as RawRecord;
    const b = mapHttpEntry(entry({ request: { request_id: '' } }), PARSE) as RawRecord;
    const c = mapHttpEntry(entry({ request: { request_id: '' }, common: { stream_id: 'other' } }), PARSE) as RawRecord;
    expect(a.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(b.requestId).toBe(a.requestId);
    expect(c.requestId).not.toBe(a.requestId);
  });

  it('rejects entries without start time, request or absolute path', () => {
    expect(mapHttpEntry(entry({ common: { start_time: null } }), PARSE)).toBe('bad_time');
    expect(mapHttpEntry({ ...entry(), request: null }, PARSE)).toBe('bad_field');
    expect(mapHttpEntry(entry({ request: { path: '' } }), PARSE)).toBe('bad_field');
    expect(mapHttpEntry(entry({ request: { path: `/${'a'.repeat(400)}` } }), { ...PARSE, maxLineBytes: 256 })).toBe('too_long');
  });

  it('counts only end-of-request entries as requests', () => {
    expect(isRequestEnd(entry())).toBe(true);
    expect(isRequestEnd(entry({ common: { access_log_type: 'DownstreamEnd' } }))).toBe(true);
    expect(isRequestEnd(entry({ common: { access_log_type: 'DownstreamPeriodic' } }))).toBe(false);
    expect(isRequestEnd(entry({ common: { access_log_type: 'UpstreamEnd' } }))).toBe(false);
  });
});
