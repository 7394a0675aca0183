/**
 * What the per-line path keeps between lines must not grow with the lines' length. The
 * sanitizer caches key_ids and object hashes by their input (2 × 10,000 entries each), so what a
 * cache keeps per entry must be small whatever a client sends:
 * - a cached input that is a slice of the line keeps the whole line alive in V8 (a sliced string
 *   holds its parent): long lines with distinct keys would pin up to 20,000 lines per cache;
 * - a cached input kept whole is as long as the client made it: an 8 KB key header (NGINX's
 *   default header buffer) or path segment per entry is 160 MB per full cache, Envoy's 60 KB
 *   headers over a GB, against the agent's 150 MB RSS target.
 */
import { describe, expect, it } from 'vitest';
import { FORMATS, type Format } from './corpus.js';
import { LineChecker } from './line-check.js';
import { render } from './render.js';
import { exposeGc } from './seed.js';

const LINES = 1_000;
/** What 1,000 keys and object ids may take: far more than they need, far less than what is sent. */
const HEAP_LIMIT = 8 * 1024 * 1024;

const gc = await exposeGc();

interface Shape {
  agent: string;
  key: (i: number) => string;
  segment: (i: number) => string;
}

function lineOf(format: Format, shape: Shape, i: number): string {
  return render(format, {
    ts: Date.UTC(2026, 10, 2) + Math.abs(i) * 1000,
    latencyMs: 5,
    method: 'GET',
    path: `/v1/customers/${shape.segment(i)}/orders/${Math.abs(i)}`,
    query: 'page=2',
    status: 200,
    requestBytes: 100,
    responseBytes: 2000,
    ip: '203.0.113.7',
    userAgent: `${shape.agent}${i}`,
    referer: '',
    authority: 'api.example.com',
    apiKey: shape.key(i),
    requestId: null,
  });
}

/** Heap growth over LINES lines of `shape` (after a warm-up), with a GC before each sample. */
function growth(format: Format, shape: Shape): number {
  const checker = new LineChecker();
  for (let i = 1; i <= 50; i++) expect(checker.check(format, lineOf(format, shape, -i)).outcome).toBe('event');
  gc?.();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < LINES; i++) expect(checker.check(format, lineOf(format, shape, i)).outcome).toBe('event');
  gc?.();
  return process.memoryUsage().heapUsed - before;
}

const hex = (i: number, n: number) => i.toString(16).padStart(n, 'c');
const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;

it('can force a garbage collection, which these heap checks and the million-line run rely on', () => {
  expect(gc).toBeTypeOf('function');
});

describe.each(FORMATS)('%s', (format) => {
  it.skipIf(gc === undefined)('keeps no log line alive after its event is made (60 KB lines, distinct short keys and ids)', () => {
    const grown = growth(format, { agent: 'M'.repeat(60_000), key: (i) => `sk_live_distinct_key_${i}`, segment: (i) => hex(i, 24) });
    expect(grown, `heap grew ${mb(grown)} over ${LINES} lines`).toBeLessThan(HEAP_LIMIT);
  });

  it.skipIf(gc === undefined)('keeps no client-sized key or path segment whole (8 KB each, distinct)', () => {
    const long = 'k'.repeat(8_000);
    const grown = growth(format, { agent: 'curl/8.5.0', key: (i) => `sk_${long}${i}`, segment: (i) => `${hex(i, 24)}${'f'.repeat(8_000)}` });
    expect(grown, `heap grew ${mb(grown)} over ${LINES} lines`).toBeLessThan(HEAP_LIMIT);
  });
});
