/**
 * The stdin input reading a real OS pipe: a `cat` child process relays what the test writes, so
 * chunk boundaries, pauses and end of input are the kernel's, not a test double's.
 */
import { spawn } from 'node:child_process';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createStdinInput } from '../../../agent/inputs/stdin/index.js';
import { eventually, fakeContext, testConfig } from './fake-context.js';

const CANARY = 'sk_canary_5tdin';
const line = (i: number) => JSON.stringify({ time: `${1_793_600_000 + i}.250`, uri: `/v1/customers/${i}`, api_key: CANARY });
const children: Array<{ kill(): boolean }> = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill();
});

function pipe(): { write: Writable; read: Readable } {
  const cat = spawn('cat', [], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(cat);
  return { write: cat.stdin, read: cat.stdout };
}

const config = testConfig((c) => {
  c.inputs.stdin.format = 'nginx-json';
  c.inputs.max_line_bytes = 1024;
});

describe('stdin input (real pipe)', () => {
  it('delivers every line exactly once and in order, CRLF and a last line without newline included, and resolves at end of input', async () => {
    const { write, read } = pipe();
    const input = createStdinInput(config, read);
    const ctx = fakeContext();
    const done = input.run(ctx);
    const n = 5000;
    const text = Array.from({ length: n }, (_, i) => line(i)).join('\r\n');
    // Uneven writes so lines straddle chunk borders.
    for (let i = 0; i < text.length; i += 777) write.write(text.slice(i, i + 777));
    write.end();
    await done;
    expect(ctx.lines.map((l) => l.text)).toEqual(Array.from({ length: n }, (_, i) => line(i)));
    expect(ctx.lines.every((l) => l.format === 'nginx-json')).toBe(true);
    expect(input.metrics.lines).toBe(n);
    expect(ctx.logged()).toContain('end of input');
    expect(ctx.logged()).not.toContain(CANARY);
    // At the end of input the pipeline is told, so the last batches go out at once.
    expect(ctx.caughtUps()).toBe(1);
  });

  it('pauses the stream while the pipeline is full and goes on after drained(), losing nothing', async () => {
    const { write, read } = pipe();
    const input = createStdinInput(config, read);
    const ctx = fakeContext({ fullAfter: 10 });
    const done = input.run(ctx);
    const n = 20_000;
    const text = `${Array.from({ length: n }, (_, i) => line(i)).join('\n')}\n`;
    write.write(text);
    write.end();
    await eventually(() => ctx.waiting() > 0, 5_000, 'the input waiting for drained()');
    await new Promise((r) => setTimeout(r, 100));
    // Paused: no line beyond the one that filled the pipeline.
    expect(ctx.lines.length).toBe(10);
    expect(read.isPaused()).toBe(true);
    ctx.release();
    await done;
    expect(ctx.lines.map((l) => l.text)).toEqual(Array.from({ length: n }, (_, i) => line(i)));
    expect(input.metrics.pauses).toBe(1);
  });

  it('hands an over-long line on cut, so the parser rejects it as too_long, and keeps the next line whole', async () => {
    const { write, read } = pipe();
    const input = createStdinInput(config, read);
    const ctx = fakeContext();
    const done = input.run(ctx);
    for (let i = 0; i < 5; i++) write.write('x'.repeat(500));
    write.end(`\n${line(1)}\n`);
    await done;
    expect(ctx.lines.map((l) => l.text.length)).toEqual([1025, line(1).length]);
    expect(input.metrics.oversize).toBe(1);
  });

  it('resolves when its signal aborts, even mid-stream and while waiting for drained()', async () => {
    const stream = new PassThrough();
    const input = createStdinInput(config, stream);
    const ctx = fakeContext({ fullAfter: 1 });
    const done = input.run(ctx);
    stream.write(`${line(1)}\n${line(2)}\n`);
    await eventually(() => ctx.waiting() > 0);
    ctx.abort();
    await done;
    ctx.release();
    await new Promise((r) => setTimeout(r, 20));
    expect(ctx.lines.length).toBe(1);
    expect(stream.listenerCount('data')).toBe(0);
    // Stopped, not at the end of input.
    expect(ctx.caughtUps()).toBe(0);
  });
});
