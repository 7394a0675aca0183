/**
 * The syslog input on a real UDP socket, fed by a real dgram client sending datagrams exactly as
 * NGINX formats them (`<190>Mmm dd hh:mm:ss [hostname ]tag: line`).
 */
import { spawnSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { createSyslogInput } from '../../../agent/inputs/syslog/index.js';
import type { SyslogInput } from '../../../agent/inputs/syslog/receiver.js';
import { eventually, fakeContext, testConfig, type FakeContext } from './fake-context.js';

const CANARY = 'sk_canary_5yslog';
const line = (i: number) =>
  JSON.stringify({ time: `${1_793_600_000 + i}.250`, request_id: `${i}`.padStart(32, '0'), uri: `/v1/customers/${i}`, api_key: CANARY });
const nginxDatagram = (text: string, hostname: boolean) => `<190>Nov 25 11:06:00 ${hostname ? 'gw-01 ' : ''}lowslow: ${text}`;

const running: Array<{ ctx: FakeContext; done: Promise<void> }> = [];
const clients: Socket[] = [];

afterEach(async () => {
  for (const r of running.splice(0)) {
    r.ctx.abort();
    await r.done;
  }
  for (const c of clients.splice(0)) c.close();
});

async function start(opts: { fullAfter?: number; port?: number; maxLineBytes?: number } = {}) {
  const config = testConfig((c) => {
    c.inputs.syslog.port = opts.port ?? 0;
    c.inputs.syslog.format = 'nginx-json';
    if (opts.maxLineBytes !== undefined) c.inputs.max_line_bytes = opts.maxLineBytes;
  });
  const input = createSyslogInput(config);
  const ctx = fakeContext({ fullAfter: opts.fullAfter });
  const done = input.run(ctx);
  running.push({ ctx, done });
  await eventually(() => input.address() !== null, 5_000, 'syslog input listening');
  return { input, ctx, done, port: portOf(input) };
}

function portOf(input: SyslogInput): number {
  return Number((input.address() ?? '').split(':').pop());
}

async function sender(port: number) {
  const socket = createSocket('udp4');
  clients.push(socket);
  return (text: string) =>
    new Promise<void>((resolve, reject) => socket.send(Buffer.from(text), port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
}

describe('syslog input (real UDP socket)', () => {
  it('binds port 0 to a real port and says so in address()', async () => {
    const { input, port } = await start();
    expect(input.address()).toMatch(/^udp:\/\/127\.0\.0\.1:\d+$/);
    expect(port).toBeGreaterThan(0);
  });

  it('delivers every line exactly once and in order, with or without hostname in the header', async () => {
    const { input, ctx, port } = await start();
    const send = await sender(port);
    const n = 500;
    for (let i = 0; i < n; i++) await send(nginxDatagram(line(i), i % 2 === 0));
    await ctx.until(n);
    await new Promise((r) => setTimeout(r, 50));
    expect(ctx.lines.length).toBe(n);
    expect(ctx.lines.map((l) => l.text)).toEqual(Array.from({ length: n }, (_, i) => line(i)));
    expect(ctx.lines.every((l) => l.format === 'nginx-json')).toBe(true);
    expect(input.metrics.snapshot()).toMatchObject({ lowslow_syslog_input_datagrams_total: n, lowslow_syslog_input_datagrams_dropped_total: 0 });
  });

  it('drops and counts datagrams while the pipeline is full (UDP cannot be paused), then goes on', async () => {
    const { input, ctx, port } = await start({ fullAfter: 10 });
    const send = await sender(port);
    for (let i = 0; i < 30; i++) await send(nginxDatagram(line(i), false));
    await eventually(() => input.metrics.datagrams === 30, 5_000, '30 datagrams read');
    expect(ctx.lines.length).toBe(10);
    expect(input.metrics.dropped).toBe(20);
    ctx.release();
    await new Promise((r) => setImmediate(r));
    for (let i = 30; i < 35; i++) await send(nginxDatagram(line(i), false));
    await ctx.until(15);
    expect(ctx.lines.map((l) => l.text)).toEqual([...Array.from({ length: 10 }, (_, i) => line(i)), ...Array.from({ length: 5 }, (_, i) => line(30 + i))]);
    expect(input.metrics.snapshot().lowslow_syslog_input_datagrams_dropped_total).toBe(20);
    expect(ctx.logged()).toMatch(/"dropped":20/);
  });

  it('counts datagrams without a syslog header and lines over max_line_bytes, and hands both over', async () => {
    const { input, ctx, port } = await start({ maxLineBytes: 256 });
    const send = await sender(port);
    await send(`${line(1)}\n`);
    await send(nginxDatagram(`{"uri":"/${'a'.repeat(300)}"}`, false));
    await ctx.until(2);
    expect(ctx.lines[0]?.text).toBe(line(1));
    expect(ctx.lines[1]?.text.length).toBeGreaterThan(256);
    expect(input.metrics).toMatchObject({ unframed: 1, oversize: 1 });
  });

  it('counts what the kernel dropped when a burst outran the agent, and delivers the rest in order', async () => {
    const { input, ctx, port } = await start();
    const n = 20_000;
    // A separate process floods the socket while this one is blocked in spawnSync and reads nothing.
    const script = `const s=require('node:dgram').createSocket('udp4');let i=0;const next=()=>{if(i===${n})return s.close();s.send('<190>Nov 25 11:06:00 lowslow: '+JSON.stringify({n:i++,pad:'x'.repeat(150)}),${port},'127.0.0.1',next)};next();`;
    const child = spawnSync(process.execPath, ['-e', script], { timeout: 20_000 });
    expect(child.status).toBe(0);
    await eventually(() => input.metrics.datagrams + (input.metrics.kernelDrops() ?? 0) >= n, 10_000, 'every datagram read or dropped');
    const kernel = input.metrics.kernelDrops();
    expect(kernel).toBeGreaterThan(0);
    expect(input.metrics.datagrams + (kernel ?? 0)).toBe(n);
    expect(input.metrics.snapshot().lowslow_syslog_input_datagrams_kernel_dropped_total).toBe(kernel);
    const seen = ctx.lines.map((l) => (JSON.parse(l.text) as { n: number }).n);
    expect(seen.length).toBe(input.metrics.datagrams);
    expect(seen.every((v, i) => i === 0 || v > (seen[i - 1] as number))).toBe(true);
  });

  it('never logs line content', async () => {
    const { ctx, port } = await start({ fullAfter: 1 });
    const send = await sender(port);
    for (let i = 0; i < 5; i++) await send(nginxDatagram(line(i), true));
    await eventually(() => ctx.lines.length === 1);
    ctx.release();
    await send(nginxDatagram(line(9), true));
    await ctx.until(2);
    ctx.abort();
    await running.pop()?.done;
    expect(ctx.logged()).toContain('syslog input stopped');
    expect(ctx.logged()).not.toContain(CANARY);
    expect(ctx.logged()).not.toContain('/v1/customers');
  });

  it('resolves on abort and releases its port', async () => {
    const first = await start();
    first.ctx.abort();
    await first.done;
    expect(first.input.address()).toBeNull();
    const again = await start({ port: first.port });
    expect(again.port).toBe(first.port);
  });

  it('rejects with an AgentError naming the option when the port is taken', async () => {
    const { port } = await start();
    const clash = createSyslogInput(testConfig((c) => void (c.inputs.syslog.port = port)));
    const err = await clash.run(fakeContext()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'LOWSLOW_AGENT_INPUT' });
    expect((err as Error).message).toContain('inputs.syslog.port');
  });

  it('resolves at once when its signal has already aborted', async () => {
    const ctx = fakeContext();
    ctx.abort();
    await expect(createSyslogInput(testConfig()).run(ctx)).resolves.toBeUndefined();
  });
});
