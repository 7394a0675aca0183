/**
 * What the fuzzers throw at the parsers: the characters that matter to each line format, broken
 * UTF-8, and injection fragments that try to plant a key, a key_id, a request id or a route of
 * their own. The planted values are constants so that any event carrying one is recognised.
 */
import { createHmac } from 'node:crypto';

/** The fuzzers' HMAC secret (a test value, never a real one). */
export const FUZZ_SECRET = 'fuzz-secret-not-real-0123456789';

export const PLANTED_KEY = 'sk_planted_key_7Q2Z';
export const PLANTED_KEY_ID = 'feedfacefeedfacefeedfacefeedface';
export const PLANTED_REQUEST_ID = 'plantedrequestid0000000000000001';
export const PLANTED_PATH = '/planted/route';
/** key_id as DESIGN.md defines it, computed here without the agent's code: the oracle. */
export function keyIdOf(rawKey: string, secret = FUZZ_SECRET): string {
  return createHmac('sha256', secret).update(rawKey, 'utf8').digest('hex').slice(0, 32);
}

/** key_id the planted raw key would get. */
export const PLANTED_KEY_HMAC = keyIdOf(PLANTED_KEY);

/** Fragments that break out of a JSON string, a quoted text field or the line itself. */
export const INJECTIONS = [
  `","key_id":"${PLANTED_KEY_ID}","x":"`,
  `","api_key":"${PLANTED_KEY}","request_id":"${PLANTED_REQUEST_ID}","uri":"${PLANTED_PATH}","x":"`,
  `"}, "headers": {"x-api-key": "${PLANTED_KEY}"}, "x": {"y": "`,
  `\\",\\"api_key\\":\\"${PLANTED_KEY}\\",\\"x\\":\\"`,
  `" "${PLANTED_REQUEST_ID}" "api.example.com" "10.0.0.1:80" "${PLANTED_KEY}`,
  `" "-" "-" "-" "${PLANTED_KEY}`,
  `" "${PLANTED_KEY}" "`,
  `\\" "${PLANTED_KEY}\\"`,
  `\r\n10.9.9.9 - - [02/Nov/2026:09:15:00 +0000] "GET ${PLANTED_PATH} HTTP/1.1" 200 1 "-" "x" "${PLANTED_KEY}"`,
  `\n{"time":"1793600000.000","method":"GET","uri":"${PLANTED_PATH}","api_key":"${PLANTED_KEY}"}`,
  `\u0000","api_key":"${PLANTED_KEY}`,
  `?api_key=${PLANTED_KEY}&`,
  ` HTTP/1.1" 200 5 "-" "x" "${PLANTED_KEY}" "`,
] as const;

/** Single characters and short sequences each format treats specially. */
export const SPECIALS = [
  '"', '\\', '\\"', '\\\\', '""', '"-"', '\\x22', '\\x5C', '\\u0000', '\\ud800', '\\udfff', '\\n', '\\"\\"',
  ' ', '\t', '\r', '\n', '\r\n', '\u0000', '\u001f', '\u007f', '\u0085', '\u2028', '\u2029', '\ufeff', '\ufffd',
  '\ud800', '\udc00', '\udbff\udfff', 'é', '😀', '[', ']', '{', '}', ',', ':', '-', '/', '?', '&', '=', '%',
  '%00', '%ff', '%2F', '%', '+', '@', '.', '..', '../', '//', '-', 'Bearer ', 'Basic ', 'ACCESS ', ' HTTP/1.1',
] as const;

/** Invalid UTF-8 byte sequences (lone continuation, overlong, surrogate, past U+10FFFF, cut). */
export const BAD_UTF8: readonly number[][] = [
  [0xff], [0xfe], [0x80], [0xbf], [0xc3, 0x28], [0xc0, 0xaf], [0xc1, 0xbf], [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98],
];

/** Values a JSON field may be swapped for: every type, limits, and strings that look like other fields. */
export const JSON_VALUES: readonly unknown[] = [
  null, true, false, 0, -1, -0.5, 1.5, 1e308, -1e308, 9007199254740993, 1e21, [], {}, [1, 2], ['a', 'b'], { a: { b: {} } },
  '', '-', ' ', '0', '-1', '1e400', '-1e400', 'NaN', 'Infinity', '0x1f', '1793600000', '1793600000123', '99999999999999999999',
  '2026-11-02T09:15:00Z', '2026-02-30T09:15:00Z', '9999-12-31T23:59:59Z', '1969-12-31T23:59:59Z',
  'GET', 'get', 'M'.repeat(40), '/', '//', '/v1/customers/42', 'http://example.com/x?y=1', 'x', 'Bearer ', `Bearer ${PLANTED_KEY}`, 'Basic dXNlcjpwYXNz',
  '10.0.0.1', '10.0.0.1, 10.0.0.2', '[::1]:8080', '::ffff:1.2.3.4', 'not-an-ip', '\u0000', '\ud800', 'x'.repeat(300), 'y'.repeat(70_000),
  ...INJECTIONS,
];

/** Numbers as text formats write them, and what a corrupted log could hold instead. */
export const TEXT_NUMBERS = ['0', '-', '-1', '1e400', '99999999999999999999', '123456789012345', '1234567890123456', 'NaN', '0x1f', '1.5', '', '00', '+5'] as const;
