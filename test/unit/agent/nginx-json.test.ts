import { describe, expect, it } from 'vitest';
import { parseNginxJson } from '../../../agent/parsers/nginx-json.js';
import { seeded } from '../../support/seeded.js';

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

describe('nginx-json numbers', () => {
  /** What the parser computed before its fast paths: parseFloat, then × 1000 and rounded. */
  function general(v: string): number {
    if (v === '' || v === '-') return 0;
    const n = Number.parseFloat(v);
    return Number.isFinite(n) && n >= 0 ? n : 0;
  }

  it('times, durations and counts equal the parseFloat reading for every shape NGINX writes and others', () => {
    const next = seeded(5);
    const texts = ['0', '0.0', '0.000', '0.001', '0.5', '0.05', '0.050', '1', '10.1', '999999999999', '999999999999.999', '1000000000000', '1793600000.005', '1793600000.0055', '1793600000.', '.5', '-1', '-0.5', '+1', '1e3', '1.5e2', '0x10', '00012', '1,5', '0.010, 0.020', '12 ', ' 12', '1.2.3', 'abc', '-', '', 'Infinity', 'NaN', '9'.repeat(16), '1'.repeat(15)];
    for (let i = 0; i < 3000; i++) {
      const whole = String(Math.floor(next() * 10 ** Math.floor(next() * 13)));
      const frac = String(Math.floor(next() * 10_000)).slice(0, Math.floor(next() * 5));
      texts.push(frac === '' ? whole : `${whole}.${frac}`);
    }
    for (const t of texts) {
      const r = parseNginxJson(line({ time: t, request_time: '0.012' }), PARSE);
      const end = general(t);
      if (end <= 0) expect(r, t).toBe('bad_time');
      else expect(typeof r === 'object' && r.ts, t).toBe(Math.round(end * 1000) - 12);
      const d = parseNginxJson(line({ request_time: t }), PARSE);
      expect(typeof d === 'object' && d.latencyMs, t).toBe(Math.round(general(t) * 1000));
      const c = parseNginxJson(line({ status: t, bytes_sent: t, request_length: t }), PARSE);
      expect(typeof c === 'object' && [c.status, c.responseBytes, c.requestBytes], t).toEqual(Array(3).fill(Math.trunc(general(t))));
    }
  });
});
