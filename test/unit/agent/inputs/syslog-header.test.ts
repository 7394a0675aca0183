import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syslogPayload } from '../../../../agent/inputs/syslog/header.js';

const LINE = '{"time":"1793600000.250","uri":"/v1/a","args":"x=1: y"}';

describe('syslog header stripping', () => {
  it.each([
    ['NGINX with nohostname', `<190>Nov 25 11:06:00 lowslow: ${LINE}`],
    ['NGINX with its hostname', `<190>Nov 25 11:06:00 gw-01.example.com lowslow: ${LINE}`],
    ['a space-padded day', `<190>Nov  5 01:02:03 lowslow: ${LINE}`],
    ['a one-digit priority and default tag', `<6>Jan 01 00:00:00 nginx: ${LINE}`],
    ['a trailing newline added by a relay', `<190>Nov 25 11:06:00 lowslow: ${LINE}\r\n`],
  ])('returns the line for %s', (_name, datagram) => {
    expect(syslogPayload(datagram)).toBe(LINE);
  });

  it('keeps ": " inside the line (only the first one after the header ends the tag)', () => {
    expect(syslogPayload('<190>Nov 25 11:06:00 host tag: a: b: c')).toBe('a: b: c');
  });

  it('answers null for a datagram without a syslog header, so the caller can count it', () => {
    expect(syslogPayload(LINE)).toBeNull();
    expect(syslogPayload('<190>2026-11-25T11:06:00Z host tag: x')).toBeNull();
    expect(syslogPayload('')).toBeNull();
  });

  it('finds any line behind any NGINX-style header (property)', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9_.-]{1,32}$/);
    const line = fc.string({ maxLength: 200 }).filter((s) => !/[\r\n]$/.test(s));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 191 }), fc.integer({ min: 1, max: 31 }), fc.option(token), token, line, (pri, day, host, tag, text) => {
        const header = `<${pri}>Feb ${String(day).padStart(2, ' ')} 23:59:59 ${host === null ? '' : `${host} `}${tag}: `;
        expect(syslogPayload(header + text)).toBe(text);
      }),
    );
  });
});
