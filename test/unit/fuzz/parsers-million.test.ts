/**
 * A million lines per run through every line parser and the agent's per-line path (parser →
 * Sanitizer → numbersInContract → the event's JSON bytes): seed lines from the fixtures and the shared data
 * sets, mutated (bytes, UTF-8, truncation, splicing, duplicated and huge fields, NUL, CRLF,
 * quotes, backslashes, injections, wrong JSON types), and generated requests rendered in each
 * format. No line may make anything throw; every rejection is a known reason and is counted;
 * every event the agent would publish is AccessEvent v1; the heap does not grow with the lines.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { REJECT_REASONS, type RejectReason } from '../../../agent/parsers/index.js';
import { Rng } from '../../sim/prng.js';
import { FORMATS, loadCorpus, type Format } from './corpus.js';
import { LineChecker, OUTCOMES, PARSE, PARSE_HUGE, type Outcome } from './line-check.js';
import { Mutator } from './mutate.js';
import { fuzzLine } from './fuzz-lines.js';
import { exposeGc, FUZZ_SEED } from './seed.js';

const LINES_PER_FORMAT = 200_000;
const ROUNDS = 10;
/** A cap for a machine shared with other work, not a target (benchmarks measure speed). */
const LOOP_TIMEOUT_MS = 240_000;
/** The smallest max_line_bytes the config allows: lines of ordinary length hit it too. */
const PARSE_SMALL = { ...PARSE, maxLineBytes: 256 };
/**
 * Heap growth allowed after the warm-up round (forced GC before each sample). A leak of one small
 * string per line is 20,000 × ≥ 64 bytes = ≥ 1.3 MB a round, ≥ 10 MB over the eight rounds after
 * the baseline; keeping the lines themselves is ≥ 6 MB a round.
 */
const HEAP_GROWTH_LIMIT = 8 * 1024 * 1024;

/** Reasons each parser can give, all of which the mutations must reach. */
const REACHABLE: Record<Format, readonly RejectReason[]> = {
  'nginx-json': ['empty', 'too_long', 'not_json', 'bad_field', 'bad_time'],
  'nginx-combined': ['empty', 'too_long', 'bad_field', 'bad_time'],
  'envoy-json': ['empty', 'too_long', 'not_json', 'bad_field', 'bad_time'],
  'envoy-text': ['empty', 'too_long', 'bad_field', 'bad_time'],
  kong: ['empty', 'too_long', 'not_json', 'bad_field', 'bad_time'],
};

const corpus = loadCorpus();
const donors = FORMATS.flatMap((f) => corpus.lines[f]);
const checker = new LineChecker();
const gc = await exposeGc();
const linesRead = new Map<Format, number>();
const heapSeries = new Map<Format, number[]>();
let megabyteFields = 0;

afterAll(() => {
  const rows = FORMATS.map((f) => {
    const c = checker.countsOf(f);
    const heap = (heapSeries.get(f) ?? []).map((h) => (h / 2 ** 20).toFixed(0)).join(' ');
    return `${f.padEnd(15)} ${String(linesRead.get(f) ?? 0).padStart(8)}  ${OUTCOMES.map((o) => `${o}=${c[o]}`).join(' ')}  heap MB: ${heap}`;
  });
  console.log(`fuzz seed ${FUZZ_SEED}, shared data ${corpus.shared ? 'used' : 'absent (fixtures only)'}\n${rows.join('\n')}`);
});

describe.each(FORMATS)('%s parser, 200,000 mutated and generated lines', (format) => {
  it('never throws, counts every rejection by reason, publishes only AccessEvent v1, and keeps the heap flat', () => {
    const seeds = corpus.lines[format];
    expect(seeds.length).toBeGreaterThan(0);
    const rng = Rng.from(FUZZ_SEED, 'million', format);
    const mutator = new Mutator(rng, donors);
    const heap: number[] = [];
    let index = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < LINES_PER_FORMAT / ROUNDS; i++, index++) {
        const { line, ops } = fuzzLine(rng, format, mutator, corpus);
        const opts = ops.includes('megabyte') && rng.chance(0.5) ? PARSE_HUGE : rng.chance(1 / 16) ? PARSE_SMALL : PARSE;
        const stream = rng.chance(0.5) ? '4242:0' : undefined;
        checker.check(format, line, opts, { seed: FUZZ_SEED, index, ops }, stream, index * 300);
      }
      gc?.();
      heap.push(process.memoryUsage().heapUsed);
    }
    linesRead.set(format, index);
    heapSeries.set(format, heap);
    megabyteFields += mutator.megabyteFields;

    const counts = checker.countsOf(format);
    let total = 0;
    for (const o of OUTCOMES) total += counts[o];
    expect(total).toBe(LINES_PER_FORMAT);
    for (const reason of REACHABLE[format]) expect(counts[reason], `no line was rejected as ${reason}`).toBeGreaterThan(0);
    // Enough lines survive their mutations to exercise the sanitizer and the event contract.
    expect(counts.event).toBeGreaterThan(LINES_PER_FORMAT / 10);
    // The heap after the warm-up round (caches full, code compiled) is the baseline.
    const baseline = heap[1] as number;
    const growth = Math.max(...heap.slice(2)) - baseline;
    expect(growth, `heap after each round (MB): ${heap.map((h) => (h / 2 ** 20).toFixed(1)).join(' ')}`).toBeLessThan(HEAP_GROWTH_LIMIT);
  }, LOOP_TIMEOUT_MS);
});

describe('the run as a whole', () => {
  it('read at least 1,000,000 lines, among them 1 MB fields, with every reason a known one', () => {
    let total = 0;
    for (const f of FORMATS) total += linesRead.get(f) ?? 0;
    expect(total).toBeGreaterThanOrEqual(1_000_000);
    expect(megabyteFields).toBeGreaterThan(0);
    const known = new Set<Outcome>([...REJECT_REASONS, 'invalid_event', 'event']);
    for (const f of FORMATS) for (const o of Object.keys(checker.countsOf(f))) expect(known.has(o as Outcome)).toBe(true);
  });
});
