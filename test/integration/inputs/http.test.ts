/**
 * The http input on a real loopback port, driven with fetch the way Kong's http-log, Fluent Bit's
 * http output and Vector's http sink post to it.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpInput } from '../../../agent/inputs/http/index.js';
import { eventually, fakeContext, testConfig, type FakeContext } from './fake-context.js';

const FIXTURES = new URL('../../fixtures/kong/', import.meta.url);
const kongLine = (name: string) => readFileSync(new URL(`${name}/input.log`, FIXTURES), 'utf8').trim();
const kongExpected = (name: string) => (JSON.parse(readFileSync(new URL(`${name}/expected.json`, FIXTURES), 'utf8')) as unknown[])[0];
const SAMPLES = ['serializer-2.2.1', 'serializer-3.4', 'serializer-3.8'];
const CANARY = 'sk_canary_h77p';
const TOKEN = 'tok_0123456789abcdef';
const COMBINED = (i: number) => `203.0.113.9 - - [25/Nov/2026:11:06:0${i % 10} +0000] "GET /v1/customers/${i} HTTP/1.1" 200 12 "-" "curl/8"`;

const running: Array<{ ctx: FakeContext; done: Promise<void> }> = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    r.ctx.abort();
    await r.done;
  }
});

async function start(opts: { fullAfter?: number; token?: string; maxBodyBytes?: number; port?: number } = {}) {
  const config = testConfig((c) => {
    c.inputs.http.port = opts.port ?? 0;
    c.inputs.http.format = 'nginx-combined';
    if (opts.token !== undefined) c.inputs.http.token = opts.token;
    if (opts.maxBodyBytes !== undefined) c.inputs.http.max_body_bytes = opts.maxBodyBytes;
    c.sanitize.key_headers = ['x-api-key'];
  });
  const input = createHttpInput(config);
  const ctx = fakeContext({ fullAfter: opts.fullAfter });
  const done = input.run(ctx);
  running.push({ ctx, done });
  await eventually(() => input.address() !== null, 5_000, 'http input listening');
  const base = input.address() as string;
  const post = (path: string, body: string | Uint8Array, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { input, ctx, done, base, post };
}

describe('http input (real loopback port)', () => {
  it('listens on a real port when given 0', async () => {
    const { input } = await start();
    expect(input.address()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('POST /kong maps one kong.log.serialize() object (http-log, batch size 1)', async () => {
    const { ctx, post } = await start();
    const res = await post('/kong', kongLine('serializer-3.8'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 1 });
    expect(ctx.records).toEqual([{ r: kongExpected('serializer-3.8'), source: 'kong' }]);
  });

  it('POST /kong maps a JSON array of them in order (http-log batches)', async () => {
    const { input, ctx, post } = await start();
    const res = await post('/kong', `[${SAMPLES.map(kongLine).join(',')}]`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 3 });
    expect(ctx.records.map((r) => r.r)).toEqual(SAMPLES.map(kongExpected));
    expect(input.metrics.records).toBe(3);
  });

  it('POST /lines takes raw lines, Fluent Bit json_lines, Vector ndjson, JSON arrays and gzip, in order', async () => {
    const { input, ctx, base, post } = await start();
    const statuses = [
      (await post('/lines', `${COMBINED(0)}\n${COMBINED(1)}\r\n`, { 'content-type': 'text/plain' })).status,
      (
        await post('/lines', [2, 3].map((i) => JSON.stringify({ date: 1793600000.25, log: `${COMBINED(i)}\n` })).join('\n'), {
          'content-type': 'application/x-ndjson',
        })
      ).status,
      (
        await post('/lines', gzipSync([4, 5].map((i) => JSON.stringify({ message: COMBINED(i), host: 'gw' })).join('\n')), {
          'content-type': 'application/x-ndjson',
          'content-encoding': 'gzip',
        })
      ).status,
      (await post('/lines', JSON.stringify([{ date: 1, log: COMBINED(6) }, COMBINED(7)]))).status,
      // No Content-Type at all.
      (await fetch(`${base}/lines`, { method: 'POST', body: new TextEncoder().encode(COMBINED(8)) })).status,
    ];
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(ctx.lines.map((l) => l.text)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map(COMBINED));
    expect(ctx.lines.every((l) => l.format === 'nginx-combined')).toBe(true);
    expect(input.metrics.lines).toBe(9);
  });

  it('delivers hundreds of lines exactly once and in order', async () => {
    const { ctx, post } = await start();
    const all = Array.from({ length: 600 }, (_, i) => COMBINED(i));
    for (let i = 0; i < all.length; i += 100) {
      const res = await post('/lines', all.slice(i, i + 100).join('\n'), { 'content-type': 'application/x-ndjson' });
      expect(await res.json()).toEqual({ accepted: 100 });
    }
    expect(ctx.lines.map((l) => l.text)).toEqual(all);
  });

  it('answers malformed JSON with a clear 400, counts it and hands nothing over', async () => {
    const { input, ctx, post } = await start();
    const res = await post('/kong', `{"request": {"headers": {"x-api-key": "${CANARY}"}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string };
    expect(body.message).toMatch(/not valid JSON: POST \/kong expects one kong\.log\.serialize\(\) object or a JSON array/);
    expect(JSON.stringify(body)).not.toContain(CANARY);
    const shape = await post('/kong', '42');
    expect(shape.status).toBe(400);
    const lines = await post('/lines', '[{"log": "x"');
    expect(lines.status).toBe(400);
    const gz = await post('/lines', 'not gzip', { 'content-encoding': 'gzip' });
    expect(gz.status).toBe(400);
    expect(input.metrics.rejected).toMatchObject({ not_json: 2, bad_shape: 1, bad_encoding: 1 });
    expect(ctx.records.length + ctx.lines.length).toBe(0);
  });

  it('hands array elements that are no Kong object to the parser, which rejects them as counted outcomes', async () => {
    const { ctx, post } = await start();
    const res = await post('/kong', `[${kongLine('serializer-3.8')}, 5, {"started_at": 1}]`);
    expect(res.status).toBe(200);
    expect(ctx.records.map((r) => r.r)).toEqual([kongExpected('serializer-3.8'), 'not_json', 'bad_field']);
  });

  it('requires the bearer token when one is set (401 otherwise), checked before the body is read', async () => {
    const { input, ctx, post, base } = await start({ token: TOKEN, maxBodyBytes: 4096 });
    const none = await post('/kong', kongLine('serializer-3.8'));
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await none.json()) as { message: string }).message).toContain('inputs.http.token');
    expect((await post('/kong', kongLine('serializer-3.8'), { authorization: `Bearer ${CANARY}` })).status).toBe(401);
    expect((await post('/kong', 'x'.repeat(8000), { authorization: 'Bearer nope' })).status).toBe(401);
    expect(input.metrics.rejected.unauthorized).toBe(3);
    expect(ctx.records.length).toBe(0);
    const ok = await post('/kong', kongLine('serializer-3.8'), { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(ctx.records.length).toBe(1);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('answers 413 past inputs.http.max_body_bytes, compressed or not, and counts it', async () => {
    const { input, ctx, post } = await start({ maxBodyBytes: 2048 });
    const big = await post('/lines', `${COMBINED(1)}\n`.repeat(40));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { message: string }).message).toContain('inputs.http.max_body_bytes');
    const bomb = await post('/lines', gzipSync(`${COMBINED(1)}\n`.repeat(400)), { 'content-encoding': 'gzip' });
    expect(bomb.status).toBe(413);
    expect(input.metrics.rejected.too_large).toBe(2);
    expect(ctx.lines.length).toBe(0);
  });

  it('answers 503 with Retry-After while the pipeline is full; what was handed over stays handed over', async () => {
    const { input, ctx, post } = await start({ fullAfter: 2 });
    const batch = `[${SAMPLES.map(kongLine).join(',')}]`;
    const first = await post('/kong', batch);
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('1');
    expect(await first.json()).toMatchObject({ accepted: 2, total: 3 });
    expect(ctx.records.length).toBe(2);
    // Still full: nothing more is taken.
    const second = await post('/lines', COMBINED(1));
    expect(second.status).toBe(503);
    expect(ctx.lines.length).toBe(0);
    expect(ctx.waiting()).toBeGreaterThan(0);
    ctx.release();
    await eventually(() => input.metrics.busy === 2);
    await new Promise((r) => setImmediate(r));
    // Kong retries the whole batch: the first two arrive again and the detector drops them by id.
    const retry = await post('/kong', batch);
    expect(retry.status).toBe(200);
    expect(ctx.records.map((r) => r.r)).toEqual([kongExpected(SAMPLES[0] as string), kongExpected(SAMPLES[1] as string), ...SAMPLES.map(kongExpected)]);
  });

  it('answers 200 when the pipeline fills on the last item, and 503 to the next request', async () => {
    const { ctx, post } = await start({ fullAfter: 3 });
    const ok = await post('/lines', [1, 2, 3].map(COMBINED).join('\n'));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ accepted: 3 });
    expect((await post('/lines', COMBINED(4))).status).toBe(503);
    expect(ctx.lines.length).toBe(3);
  });

  it('answers unknown routes 404 and counts them', async () => {
    const { input, post } = await start();
    expect((await post('/nope', '{}')).status).toBe(404);
    expect(input.metrics.rejected.not_found).toBe(1);
  });

  it('never logs bodies, headers or tokens', async () => {
    const { ctx, post } = await start({ token: TOKEN, maxBodyBytes: 4096, fullAfter: 1 });
    const auth = { authorization: `Bearer ${TOKEN}`, 'x-api-key': CANARY };
    const object = JSON.parse(kongLine('serializer-3.8')) as { request: { headers: Record<string, string> } };
    object.request.headers['x-api-key'] = CANARY;
    await post('/kong', JSON.stringify(object), auth);
    await post('/kong', JSON.stringify(object), auth);
    ctx.release();
    await post(`/kong?apikey=${CANARY}`, `{"${CANARY}"`, auth);
    await post(`/${CANARY}`, 'x', auth);
    await post('/lines', `${CANARY}\n`.repeat(1000), auth);
    await post('/lines', 'x', { authorization: `Bearer ${CANARY}` });
    expect(ctx.records[0]?.r).toMatchObject({ apiKey: CANARY });
    ctx.abort();
    await running.pop()?.done;
    const logged = ctx.logged();
    expect(logged).toContain('http input stopped');
    expect(logged).toContain('http input rejected a request');
    expect(logged).not.toContain(CANARY);
    expect(logged).not.toContain(TOKEN);
  });

  it('resolves on abort and stops listening', async () => {
    const { ctx, done, base, input } = await start();
    ctx.abort();
    await done;
    expect(input.address()).toBeNull();
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it('rejects with an AgentError naming the option when the port is taken', async () => {
    const { base } = await start();
    const clash = createHttpInput(testConfig((c) => void (c.inputs.http.port = Number(new URL(base).port))));
    const err = await clash.run(fakeContext()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'LOWSLOW_AGENT_INPUT' });
    expect((err as Error).message).toContain('inputs.http.port');
  });
});

describe('http input POST /events (our Kong plugin)', () => {
  it('hands each AccessEvent of an array to the pipeline as it is', async () => {
    const { ctx, post } = await start();
    const e = { v: 1, id: 'e1', ts: 1, source: { gateway: 'kong', host: 'h' }, key_id: null };
    const res = await post('/events', JSON.stringify([e, { ...e, id: 'e2' }]));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 2 });
    expect(ctx.events).toEqual([e, { ...e, id: 'e2' }]);
  });

  it('answers 400 naming the route when the body is not JSON', async () => {
    const { ctx, post } = await start();
    const res = await post('/events', 'nope');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain('not valid JSON');
    expect(ctx.events).toEqual([]);
  });
});
