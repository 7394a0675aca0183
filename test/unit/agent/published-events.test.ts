/**
 * The hot path publishes `writeEvent(toEvent(record))` after only the cheap number check
 * (sanitize/bounds.ts) instead of the full AccessEvent validator. These tests hold both to the
 * full validator and to JSON.stringify on hostile and random records, so what is published
 * still always validates.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { validateAccessEvent } from '../../../contracts/index.js';
import type { RawRecord } from '../../../agent/parsers/index.js';
import { parsers } from '../../../agent/parsers/index.js';
import { numbersInContract } from '../../../agent/sanitize/bounds.js';
import { EventIds } from '../../../agent/sanitize/event-id.js';
import { Sanitizer } from '../../../agent/sanitize/index.js';
import { eventBytes } from '../../../agent/outputs/event-json.js';
import { seeded } from '../../support/seeded.js';

/** The hot path's bytes for an event, as text; a byte that is not valid UTF-8 would show as U+FFFD and differ. */
const eventJson = (e: Parameters<typeof eventBytes>[0]): string => Buffer.from(eventBytes(e)).toString('utf8');

const sanitizer = new Sanitizer({ secret: 'published-events-secret-0123', gateway: 'nginx', host: 'gw1', keyParams: ['api_key', 'token'], rawParams: ['q', 'sort'], truncateIp: false });

const PIECES = ['a', 'Z', '7', '/', '?', '&', '=', '%', '%2', '%41', '+', '"', '\\', '\n', '\u0000', '\u001f', 'é', '😀', '\ud800', '\udfff', ' ', '@', '.', ',', '-', '{', '}', '123', '-4.5', 'true', 'deadbeefdeadbeef00', '2026-01-02', 'x'.repeat(70), '/v1/customers/', 'api_key=sk_live_1', 'q=hello', 'sort=a,b'];
const NUMBERS = [0, 1, 200, 999, 1000, -1, 0.5, 1.5e3, 1e300, -1e300, Number.MAX_SAFE_INTEGER, 2 ** 60, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1_793_600_000_000];

function text(r: () => number, max: number): string {
  let s = '';
  const n = Math.floor(r() * max);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(r() * PIECES.length)];
  return s;
}

function record(r: () => number): RawRecord {
  const num = () => (r() < 0.7 ? Math.floor(r() * 5000) : (NUMBERS[Math.floor(r() * NUMBERS.length)] as number));
  return {
    requestId: r() < 0.4 ? null : r() < 0.5 ? 'c'.repeat(32) : r() < 0.1 ? '' : r() < 0.1 ? 'i'.repeat(128 + Math.floor(r() * 3)) : text(r, 4) || 'abcdefgh',
    ts: r() < 0.7 ? 1_793_600_000_000 + Math.floor(r() * 1e9) : num(),
    ip: r() < 0.5 ? '10.1.2.3' : text(r, 6),
    method: r() < 0.7 ? 'GET' : text(r, 3),
    path: `/${text(r, 12)}`,
    query: text(r, 10),
    status: num(),
    requestBytes: num(),
    responseBytes: num(),
    latencyMs: num(),
    userAgent: r() < 0.1 ? 'u'.repeat(300) : text(r, 8),
    apiKey: r() < 0.5 ? null : text(r, 3),
    keyId: r() < 0.8 ? null : r() < 0.5 ? 'd'.repeat(32) : r() < 0.2 ? 'D'.repeat(32) : text(r, 3),
    ...(r() < 0.3 ? { gateway: { service: r() < 0.5 ? 'orders-api' : text(r, 3), routeName: r() < 0.5 ? '' : text(r, 3), consumer: text(r, 2) } } : {}),
  };
}

describe('published events', () => {
  it('pass the full validator exactly when they pass the cheap check, and serialize as JSON.stringify does', () => {
    const r = seeded(20261201);
    let passed = 0;
    for (let i = 0; i < 20_000; i++) {
      const e = sanitizer.toEvent(record(r), `line ${i}`, r() < 0.5 ? '7:0' : undefined, i * 100);
      const cheap = numbersInContract(e);
      expect(cheap, JSON.stringify(e)).toBe(validateAccessEvent(e));
      if (!cheap) continue;
      passed++;
      const json = eventJson(e);
      expect(json).toBe(JSON.stringify(e));
      expect(validateAccessEvent(JSON.parse(json))).toBe(true);
    }
    expect(passed).toBeGreaterThan(10_000);
  });

  it('holds for random log lines through every line parser', () => {
    const r = seeded(7);
    for (const [format, parse] of Object.entries(parsers)) {
      for (let i = 0; i < 3_000; i++) {
        const line =
          format === 'nginx-json'
            ? JSON.stringify({ time: String(1_793_600_000 + r() * 1e6), request_time: text(r, 2) || '0.1', request_id: text(r, 3), remote_addr: text(r, 3), method: 'GET', uri: `/${text(r, 8)}`, args: text(r, 6), status: text(r, 2), bytes_sent: text(r, 2), user_agent: text(r, 5), api_key: text(r, 2) })
            : `10.0.0.1 - - [17/May/2015:10:05:03 +0000] "GET /${text(r, 8)} HTTP/1.1" 200 ${Math.floor(r() * 1e6)} "-" "${text(r, 5)}" "${text(r, 2)}"`;
        const raw = parse(line, { maxLineBytes: 65536, keyHeaders: ['x-api-key'], bearer: true });
        if (typeof raw === 'string') continue;
        const e = sanitizer.toEvent(raw, line, '1:0', i);
        expect(numbersInContract(e), `${format}: ${line}`).toBe(validateAccessEvent(e));
        if (numbersInContract(e)) expect(eventJson(e)).toBe(JSON.stringify(e));
      }
    }
  });
});

describe('event bytes', () => {
  it('match JSON.stringify whatever the source tokens hold, and when they change between events', () => {
    const base = sanitizer.toEvent(record(seeded(3)), 'line', '1:0', 0);
    for (const source of [{ gateway: 'nginx', host: 'gw1' }, { gateway: 'gé', host: 'h"1' }, { gateway: 'nginx', host: 'gw1' }, { gateway: '😀', host: '\u0001' }]) {
      const e = { ...base, source };
      expect(eventJson(e)).toBe(JSON.stringify(e));
    }
  });
});

describe('event ids from a position', () => {
  it('are stable, 32 hex characters, distinct per offset, stream and host', () => {
    const a = new EventIds('gw1');
    const id = a.fromPosition('1234:0', 100);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new EventIds('gw1').fromPosition('1234:0', 100)).toBe(id);
    expect(a.fromPosition('1234:0', 101)).not.toBe(id);
    expect(a.fromPosition('1234:1', 100)).not.toBe(id);
    expect(new EventIds('gw2').fromPosition('1234:0', 100)).not.toBe(id);
    expect(a.fromPosition('1234:0', 100)).toBe(id);
  });

  it('hash offsets that cannot be a byte position as text', () => {
    const a = new EventIds('gw1');
    expect(a.fromPosition('7:0', -1)).toBe(a.fromText('7:0:-1'));
    expect(a.fromPosition('7:0', 1.5)).toBe(a.fromText('7:0:1.5'));
    expect(a.fromPosition('7:0', 2 ** 48)).toBe(a.fromText(`7:0:${2 ** 48}`));
  });

  it('keep the layout earlier releases used, so a line re-read after an upgrade gets the same id', () => {
    const stream = createHash('sha256').update('gw1').update('\u0000').update('1234:0').digest('hex').slice(0, 20);
    expect(new EventIds('gw1').fromPosition('1234:0', 0x1f4)).toBe(`${stream}0000000001f4`);
  });
});
