/**
 * The file follower cuts a file into lines across its 256 KiB reads: every line, at its byte
 * offset, whether it sits inside a read, straddles two (its start carried into the next read's
 * head room, or, when longer than that room, concatenated), is UTF-8 or ASCII, or ends in CRLF.
 */
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { FileFollower } from '../../../../agent/inputs/file/follower.js';
import { seeded } from '../../../support/seeded.js';

interface Seen {
  text: string;
  offset: number;
}

/** Follows `path` from the beginning until `expected` lines (or too-long skips) came through. */
async function follow(path: string, maxLineBytes: number, expected: number): Promise<{ lines: Seen[]; tooLong: number }> {
  const lines: Seen[] = [];
  let tooLong = 0;
  const abort = new AbortController();
  const done = (): void => {
    if (lines.length + tooLong >= expected) abort.abort();
  };
  const follower = new FileFollower(
    { path, fromBeginning: true, maxLineBytes, checkpoint: null },
    {
      lines: (texts, offsets, count) => {
        for (let i = 0; i < count; i++) lines.push({ text: texts[i] as string, offset: offsets[i] as number });
        done();
        return true;
      },
      tooLong: () => {
        tooLong++;
        done();
      },
      drained: () => Promise.resolve(),
      position: () => undefined,
    },
    pino({ level: 'silent' }),
  );
  const timer = setTimeout(() => abort.abort(), 20_000);
  await follower.run(abort.signal);
  clearTimeout(timer);
  return { lines, tooLong };
}

describe('file follower', () => {
  it('hands over every line at its byte offset across reads, carries and encodings', async () => {
    const r = seeded(42);
    const texts: string[] = [];
    // About 3 MB: a dozen reads, so lines straddle read boundaries many times.
    let bytes = 0;
    while (bytes < 3_000_000) {
      const pick = r();
      const text =
        pick < 0.6
          ? `{"n":${texts.length},"pad":"${'a'.repeat(Math.floor(r() * 400))}"}`
          : pick < 0.8
            ? `{"n":${texts.length},"ua":"${'é😀x'.repeat(Math.floor(r() * 60))}"}`
            : pick < 0.97
              ? `{"n":${texts.length},"crlf":"${'c'.repeat(Math.floor(r() * 3000))}"}\r`
              : // Longer than the head room in front of each read (64 KiB), many also than the 96 KiB
                // decode window, below the line limit.
                `{"n":${texts.length},"long":"${'L'.repeat(70_000 + Math.floor(r() * 60_000))}"}`;
      texts.push(text);
      bytes += Buffer.byteLength(text) + 1;
    }
    const path = join(mkdtempSync(join(tmpdir(), 'lowslow-follower-')), 'access.log');
    writeFileSync(path, `${texts.join('\n')}\n`);

    const { lines, tooLong } = await follow(path, 200_000, texts.length);
    expect(tooLong).toBe(0);
    expect(lines).toHaveLength(texts.length);
    let offset = 0;
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i] as string;
      const seen = lines[i] as Seen;
      expect(seen.offset, `line ${i}`).toBe(offset);
      expect(seen.text, `line ${i}`).toBe(text.endsWith('\r') ? text.slice(0, -1) : text);
      offset += Buffer.byteLength(text) + 1;
    }
    expect(texts.some((t) => t.length > 70_000)).toBe(true);
  });

  it('skips lines over the limit, wherever they fall, and keeps the lines around them', async () => {
    const texts: string[] = [];
    for (let i = 0; i < 400; i++) texts.push(i % 50 === 7 ? `too long ${'z'.repeat(300_000)}` : `line ${i} ${'k'.repeat(i * 37)}`);
    const path = join(mkdtempSync(join(tmpdir(), 'lowslow-follower-')), 'access.log');
    writeFileSync(path, `${texts.join('\n')}\n`);

    const { lines, tooLong } = await follow(path, 65_536, texts.length);
    expect(tooLong).toBe(8);
    expect(lines.map((l) => l.text)).toEqual(texts.filter((t) => !t.startsWith('too long')));
  });

  it('says when it has read a backlog to the end, and not after each small append', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lowslow-follower-')), 'access.log');
    const block = (from: number, n: number): string => Array.from({ length: n }, (_, i) => `line ${from + i} ${'p'.repeat(200)}`).join('\n') + '\n';
    // ~1 MB: four full reads, then the end.
    writeFileSync(path, block(0, 5000));
    let lines = 0;
    const caughtUpAt: number[] = [];
    const abort = new AbortController();
    let reached: (() => void) | null = null;
    const until = (n: number) => new Promise<void>((resolve) => (reached = () => lines >= n && resolve()));
    const follower = new FileFollower(
      { path, fromBeginning: true, maxLineBytes: 65_536, checkpoint: null },
      {
        lines: (_texts, _offsets, count) => {
          lines += count;
          reached?.();
          return true;
        },
        tooLong: () => undefined,
        drained: () => Promise.resolve(),
        position: () => undefined,
        caughtUp: () => caughtUpAt.push(lines),
      },
      pino({ level: 'silent' }),
    );
    const running = follower.run(abort.signal);
    await until(5000);
    await new Promise((r) => setTimeout(r, 50));
    expect(caughtUpAt).toEqual([5000]);
    // A few lines at a time, as a live gateway writes them: no early flush for those.
    for (let i = 0; i < 3; i++) {
      appendFileSync(path, block(5000 + i, 1));
      await until(5001 + i);
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(caughtUpAt).toEqual([5000]);
    // A burst larger than one read is a backlog again.
    appendFileSync(path, block(6000, 3000));
    await until(8003);
    await new Promise((r) => setTimeout(r, 50));
    abort.abort();
    await running;
    expect(caughtUpAt).toEqual([5000, 8003]);
  });
});
