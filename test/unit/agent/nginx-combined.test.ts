import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNginxCombined } from '../../../agent/parsers/nginx-combined.js';
import { isRejection, type RawRecord } from '../../../agent/parsers/raw-record.js';
import { hasShared, sharedFile } from '../../support/shared-data.js';

const PARSE = { maxLineBytes: 65536, keyHeaders: ['x-api-key'], bearer: true };
const APACHE_LOGS = sharedFile('access-logs', 'elastic-examples', 'apache_logs');

const LINE = '10.1.2.3 - - [17/May/2015:10:05:03 +0000] "GET /v1/customers/7?page=2 HTTP/1.1" 200 4567 "-" "curl/8.0"';

describe('nginx-combined parser', () => {
  it('reads a combined line: no request id, no duration, ts from $time_local', () => {
    expect(parseNginxCombined(LINE, PARSE)).toEqual({
      requestId: null,
      ts: Date.parse('2015-05-17T10:05:03Z'),
      ip: '10.1.2.3',
      method: 'GET',
      path: '/v1/customers/7',
      query: 'page=2',
      status: 200,
      requestBytes: 0,
      responseBytes: 4567,
      latencyMs: 0,
      userAgent: 'curl/8.0',
      apiKey: null,
      keyId: null,
    });
  });

  it('checks the length before anything else', () => {
    expect(parseNginxCombined(LINE, { ...PARSE, maxLineBytes: LINE.length - 1 })).toBe('too_long');
    expect(parseNginxCombined(LINE, { ...PARSE, maxLineBytes: LINE.length })).not.toBe('too_long');
  });

  it('takes the key from the extra field only as a bearer token when bearer is on', () => {
    const line = `${LINE} "Bearer tok_123"`;
    expect(parseNginxCombined(line, PARSE)).toMatchObject({ apiKey: 'tok_123' });
    expect(parseNginxCombined(line, { ...PARSE, bearer: false })).toMatchObject({ apiKey: null });
  });

  it.skipIf(!hasShared('access-logs', 'elastic-examples', 'apache_logs'))('parses all 10,000 lines of elastic/examples apache_logs, the truncated user agent included', () => {
    const text = readFileSync(APACHE_LOGS, 'utf8');
    expect(createHash('sha256').update(text).digest('hex')).toBe(
      'f15c31e905f86c7b4b6ab44aee74d0a2086dce89f010187d983edea7ef0364ef',
    );
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    expect(lines).toHaveLength(10_000);

    const records: RawRecord[] = [];
    for (const line of lines) {
      const r = parseNginxCombined(line, PARSE);
      if (!isRejection(r)) records.push(r);
    }
    expect(records).toHaveLength(10_000);

    const methods = new Map<string, number>();
    const classes = new Map<string, number>();
    for (const r of records) {
      expect(r.method).toMatch(/^[A-Z]+$/);
      expect(r.path.startsWith('/')).toBe(true);
      expect(Number.isInteger(r.status) && r.status >= 100 && r.status <= 599).toBe(true);
      methods.set(r.method, (methods.get(r.method) ?? 0) + 1);
      const cls = `${Math.floor(r.status / 100)}xx`;
      classes.set(cls, (classes.get(cls) ?? 0) + 1);
    }
    // SOURCES.md counts the 9,999 lines a strict regex matches; the truncated line is a GET 200.
    expect(Object.fromEntries(methods)).toEqual({ GET: 9_952, HEAD: 42, POST: 5, OPTIONS: 1 });
    expect(Object.fromEntries(classes)).toEqual({ '2xx': 9_171, '3xx': 609, '4xx': 217, '5xx': 3 });
    expect(new Set(records.map((r) => r.ip)).size).toBe(1_753);
    expect(Math.min(...records.map((r) => r.ts))).toBe(Date.parse('2015-05-17T10:05:00Z'));

    const truncated = records.find((r) => r.userAgent.endsWith('google.com/bot.html'));
    expect(truncated).toMatchObject({ path: '/scripts/grok-py-test/configlib.py', status: 200, responseBytes: 235 });
  });
});
