import { describe, expect, it } from 'vitest';
import { endMs, FIELDS, week, type Line } from './week.js';

describe('simulated NGINX log lines', () => {
  const w = week();

  it('produces a week of 60k-150k lines', () => {
    expect(w.raw.length).toBeGreaterThanOrEqual(60_000);
    expect(w.raw.length).toBeLessThanOrEqual(150_000);
  });

  it('writes one JSON object per line with exactly the log_format fields, all strings, in order', () => {
    const bad = w.raw.filter((raw) => {
      const obj = JSON.parse(raw) as Record<string, unknown>;
      return Object.keys(obj).join() !== FIELDS.join() || Object.values(obj).some((v) => typeof v !== 'string');
    });
    expect(bad.slice(0, 3)).toEqual([]);
  });

  it('formats each field the way nginx does', () => {
    const shapes: Record<keyof Line, RegExp> = {
      time: /^\d{10}\.\d{3}$/,
      request_time: /^\d+\.\d{3}$/,
      request_id: /^[0-9a-f]{32}$/,
      remote_addr: /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/,
      method: /^(GET|POST)$/,
      uri: /^\/[^?\s]*$/,
      args: /^[^?\s]*$/,
      status: /^[1-5]\d\d$/,
      request_length: /^\d+$/,
      bytes_sent: /^\d+$/,
      user_agent: /^\S.*$/,
      api_key: /^(sk_live_[0-9A-Za-z]{24})?$/,
      key_id: /^$/,
    };
    const bad = w.lines.flatMap((l) => FIELDS.filter((f) => !shapes[f].test(l[f])).map((f) => `${f}=${l[f]}`));
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('sorts lines by request end time', () => {
    const outOfOrder = w.lines.filter((l, i) => i > 0 && endMs(l) < endMs(w.lines[i - 1]!));
    expect(outOfOrder.slice(0, 3)).toEqual([]);
  });

  it('keeps every line inside the simulated window', () => {
    expect(endMs(w.lines[0]!)).toBeGreaterThanOrEqual(w.truth.window.start_ms);
    expect(endMs(w.lines[w.lines.length - 1]!)).toBeLessThan(w.truth.window.end_ms);
  });

  it('gives every request a unique request_id', () => {
    expect(new Set(w.lines.map((l) => l.request_id)).size).toBe(w.lines.length);
  });

  it('sends requests without a key only to /healthz or gets them refused', () => {
    const keyless = w.lines.filter((l) => l.api_key === '');
    expect(keyless.filter((l) => l.uri === '/healthz').length).toBeGreaterThan(1000);
    for (const l of keyless) expect(l.uri === '/healthz' || l.status === '401').toBe(true);
  });

  it('sprinkles honest 4xx (1-3 %) and a few 5xx', () => {
    const honestKeys = new Set(w.truth.keys.filter((k) => !k.abusive).map((k) => k.key));
    const honest = w.lines.filter((l) => honestKeys.has(l.api_key));
    const share = (re: RegExp): number => honest.filter((l) => re.test(l.status)).length / honest.length;
    expect(share(/^4/)).toBeGreaterThan(0.005);
    expect(share(/^4/)).toBeLessThan(0.03);
    expect(share(/^5/)).toBeGreaterThan(0);
    expect(share(/^5/)).toBeLessThan(0.01);
  });
});
