import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bearerCheck } from '../../../../agent/inputs/http/auth.js';
import { bodyLines, bodyText, kongObjects } from '../../../../agent/inputs/http/body.js';

const NGINX = '{"time":"1793600000.250","uri":"/v1/a","args":""}';
const COMBINED = '203.0.113.9 - - [25/Nov/2026:11:06:00 +0000] "GET /v1/a HTTP/1.1" 200 12 "-" "curl/8"';

describe('http input bodies', () => {
  it('takes raw newline-delimited lines, CRLF too, skipping blank ones', () => {
    expect(bodyLines(`${COMBINED}\r\n\n${NGINX}\n`)).toEqual([COMBINED, NGINX]);
  });

  it('unwraps Fluent Bit json_lines records (`log`) and Vector json events (`message`)', () => {
    const fluentBit = JSON.stringify({ date: 1793600000.25, log: `${COMBINED}\n` });
    const vector = JSON.stringify({ message: NGINX, timestamp: '2026-11-25T11:06:00Z', host: 'gw' });
    expect(bodyLines(`${fluentBit}\n${vector}\n`)).toEqual([COMBINED, NGINX]);
  });

  it('keeps our own JSON lines (and objects whose log is no string) as they are', () => {
    const odd = JSON.stringify({ log: 5, time: '1' });
    expect(bodyLines(`${NGINX}\n${odd}`)).toEqual([NGINX, odd]);
  });

  it('reads a JSON array body (Fluent Bit format json, Vector json without framing)', () => {
    const parsed = { time: '1793600000.250', uri: '/v1/a' };
    expect(bodyLines(JSON.stringify([{ date: 1, log: COMBINED }, COMBINED, parsed]))).toEqual([COMBINED, COMBINED, JSON.stringify(parsed)]);
  });

  it('answers a clear 400 for a broken JSON array, without quoting the body', () => {
    const p = bodyLines('[{"log": "sk_canary_1"');
    expect(p).toMatchObject({ status: 400, reason: 'not_json' });
    expect(JSON.stringify(p)).not.toContain('sk_canary_1');
  });

  it('takes one Kong object or an array of them; anything else is a 400', () => {
    expect(kongObjects('{"a":1}')).toEqual([{ a: 1 }]);
    expect(kongObjects('[{"a":1},{"a":2}]')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(kongObjects('"x"')).toMatchObject({ status: 400, reason: 'bad_shape' });
    const p = kongObjects('{"apikey":"sk_canary_2"');
    expect(p).toMatchObject({ status: 400, reason: 'not_json' });
    expect(JSON.stringify(p)).not.toContain('sk_canary_2');
  });

  it('gunzips within the body limit, 413 beyond it, 400 for bad gzip, 415 for other encodings', async () => {
    const text = 'x'.repeat(5000);
    expect(await bodyText(gzipSync(text), 'gzip', 10_000)).toBe(text);
    expect(await bodyText(gzipSync(text), 'gzip', 4_000)).toMatchObject({ status: 413, reason: 'too_large' });
    expect(await bodyText(Buffer.from('not gzip'), 'gzip', 10_000)).toMatchObject({ status: 400, reason: 'bad_encoding' });
    expect(await bodyText(Buffer.from('x'), 'br', 10_000)).toMatchObject({ status: 415, reason: 'unsupported_encoding' });
    expect(await bodyText(undefined, undefined, 10)).toBe('');
  });
});

describe('http input token', () => {
  it('is off without a token and accepts only the exact Bearer token with one', () => {
    expect(bearerCheck(undefined)).toBeNull();
    const check = bearerCheck('t'.repeat(24));
    expect(check?.(`Bearer ${'t'.repeat(24)}`)).toBe(true);
    expect(check?.(`bearer ${'t'.repeat(24)}`)).toBe(true);
    expect(check?.(`Bearer ${'t'.repeat(23)}`)).toBe(false);
    expect(check?.(`Basic ${'t'.repeat(24)}`)).toBe(false);
    expect(check?.(undefined)).toBe(false);
    expect(check?.('Bearer ')).toBe(false);
  });
});
