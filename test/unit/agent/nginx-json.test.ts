import { describe, expect, it } from 'vitest';
import { parseNginxJson } from '../../../agent/parsers/nginx-json.js';

const PARSE = { maxLineBytes: 65536, keyHeaders: ['x-api-key'], bearer: true };

const base = {
  time: '1793600000.250',
  request_time: '0.050',
  request_id: 'a'.repeat(32),
  remote_addr: '10.1.2.3',
  method: 'GET',
  uri: '/v1/customers/7',
  args: 'page=2',
  status: '200',
  request_length: '321',
  bytes_sent: '4567',
  user_agent: 'curl/8.0',
  api_key: 'sk_live_x',
  key_id: '',
};
const line = (o: Record<string, unknown>) => JSON.stringify({ ...base, ...o });

describe('nginx-json parser', () => {
  it('reads every field of our log_format, request start from end minus duration', () => {
    expect(parseNginxJson(line({}), PARSE)).toEqual({
      requestId: 'a'.repeat(32),
      ts: 1_793_600_000_200,
      ip: '10.1.2.3',
      method: 'GET',
      path: '/v1/customers/7',
      query: 'page=2',
      status: 200,
      requestBytes: 321,
      responseBytes: 4567,
      latencyMs: 50,
      userAgent: 'curl/8.0',
      apiKey: 'sk_live_x',
      keyId: null,
    });
  });

  it('treats "" and "-" as absent and takes the first of a list', () => {
    const r = parseNginxJson(line({ api_key: '-', user_agent: '', request_time: '0.010, 0.020', request_id: '' }), PARSE);
    expect(r).toMatchObject({ apiKey: null, userAgent: '', latencyMs: 10, requestId: null });
  });

  it('uses a key_id computed at the gateway', () => {
    const r = parseNginxJson(line({ api_key: '', key_id: 'b'.repeat(32) }), PARSE);
    expect(r).toMatchObject({ apiKey: null, keyId: 'b'.repeat(32) });
  });

  it.each([
    ['', 'empty'],
    ['not json', 'not_json'],
    ['[1,2]', 'not_json'],
    ['null', 'not_json'],
    [line({ time: '' }), 'bad_time'],
    [line({ time: 'soon' }), 'bad_time'],
    [line({ uri: 'relative' }), 'bad_field'],
    [line({ method: '' }), 'bad_field'],
    [line({ user_agent: 'x'.repeat(70_000) }), 'too_long'],
  ])('rejects %j as %s', (input, reason) => {
    expect(parseNginxJson(input, PARSE)).toBe(reason);
  });

  it('survives invalid UTF-8 that was decoded with replacement characters', () => {
    const decoded = Buffer.from(line({ user_agent: 'X' }).replace('X', '\uFFFD'), 'utf8').toString('utf8');
    expect(parseNginxJson(decoded, PARSE)).toMatchObject({ userAgent: '\uFFFD' });
  });
});
