/**
 * The same fuzz lines through a real Agent (agent/pipeline.ts) and a real nats-server with
 * JetStream: nothing escapes Agent.handleLine, every line is counted once, metrics.rejected holds
 * each reason exactly as often as the parsers gave it, and the stream holds exactly the events the
 * per-line path predicts, each AccessEvent v1. No line content reaches the logs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { connect } from '@nats-io/transport-node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAccessEvent, validateConfig, type Config } from '../../../contracts/index.js';
import type { Input, InputContext } from '../../../agent/inputs/input.js';
import { Agent } from '../../../agent/pipeline.js';
import { REJECT_REASONS } from '../../../agent/parsers/index.js';
import { ensureStreams } from '../../../bin/connect.js';
import { startNatsServer, type NatsServer } from '../../support/nats-server.js';
import { streamEvents } from '../../support/stream.js';
import { Rng } from '../../sim/prng.js';
import { FORMATS, loadCorpus, type Format } from './corpus.js';
import { fuzzLine } from './fuzz-lines.js';
import { FUZZ_SECRET, PLANTED_KEY } from './hostile.js';
import { FUZZ_POLICY, LineChecker, OUTCOMES } from './line-check.js';
import { Mutator } from './mutate.js';
import { FUZZ_SEED } from './seed.js';

const LINES_PER_FORMAT = 8_000;

/** Hands its lines to the agent as an input does: pauses when told to, then waits for the stop. */
class FuzzInput implements Input {
  readonly name = 'fuzz';
  thrown: unknown;
  private finished!: () => void;
  readonly done = new Promise<void>((resolve) => (this.finished = resolve));

  constructor(private readonly lines: ReadonlyArray<readonly [Format, string]>) {}

  async run(ctx: InputContext): Promise<void> {
    try {
      for (const [format, line] of this.lines) if (!ctx.line(line, format)) await ctx.drained();
    } catch (err) {
      this.thrown = err;
    }
    this.finished();
    if (!ctx.signal.aborted) await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
  }
}

let nats: NatsServer;
const dir = mkdtempSync(join(tmpdir(), 'lowslow-fuzz-agent-'));

beforeAll(async () => {
  nats = await startNatsServer();
});

afterAll(async () => {
  await nats?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Agent.handleLine on fuzz lines', () => {
  it('counts every line once and every rejection by reason, and publishes exactly the predicted AccessEvents', async () => {
    const corpus = loadCorpus();
    const donors = FORMATS.flatMap((f) => corpus.lines[f]);
    const rng = Rng.from(FUZZ_SEED, 'agent');
    const mutator = new Mutator(rng, donors, 1_000);
    const lines: Array<readonly [Format, string]> = [];
    for (let i = 0; i < LINES_PER_FORMAT; i++) for (const f of FORMATS) lines.push([f, fuzzLine(rng, f, mutator, corpus).line]);

    // What the per-line path says each line gives, with the agent's own policy.
    const predicted = new LineChecker(FUZZ_POLICY);
    const expectedEvents: string[] = [];
    lines.forEach(([f, l], index) => {
      const { event } = predicted.check(f, l, undefined, { seed: FUZZ_SEED, index, ops: ['agent'] });
      if (event) expectedEvents.push(JSON.stringify(event));
    });
    const expected = Object.fromEntries(OUTCOMES.map((o) => [o, FORMATS.reduce((n, f) => n + predicted.countsOf(f)[o], 0)]));

    const raw = {
      key_secret: FUZZ_SECRET,
      source: { gateway: FUZZ_POLICY.gateway, host: FUZZ_POLICY.host },
      sanitize: { raw_params: FUZZ_POLICY.rawParams },
      nats: { servers: [nats.url], partitions: 4, flush_ms: 20 },
      agent: { state_dir: join(dir, 'state'), metrics_port: -1 },
    };
    if (!validateConfig(raw)) throw new Error(JSON.stringify(validateConfig.errors));
    const config = raw as Config;
    let logs = '';
    const log = pino({ level: 'trace' }, new Writable({ write: (c, _e, cb) => ((logs += c.toString()), cb()) }));
    const nc = await connect({ servers: nats.url });
    await ensureStreams(nc, config.nats, ['events']);
    const input = new FuzzInput(lines);
    const agent = new Agent({ config, nc, log, host: FUZZ_POLICY.host, inputs: [input] });
    agent.start();
    await input.done;
    await agent.stop();
    await nc.close();

    expect(input.thrown, `Agent.handleLine threw: ${String(input.thrown)}`).toBeUndefined();
    const m = agent.metrics;
    expect(m.linesRead).toBe(lines.length);
    for (const reason of [...REJECT_REASONS, 'invalid_event'] as const) expect(m.rejected[reason], reason).toBe(expected[reason]);
    expect(m.rejectedTotal + m.eventsPublished).toBe(lines.length);
    expect(m.eventsPublished).toBe(expected.event);
    // Enough of both to mean something.
    expect(expected.event).toBeGreaterThan(lines.length / 5);
    expect(m.rejectedTotal).toBeGreaterThan(lines.length / 5);

    const published = await streamEvents(nats.url);
    for (const { event } of published) expect(validateAccessEvent(event), JSON.stringify(validateAccessEvent.errors)).toBe(true);
    expect(published.map(({ event }) => JSON.stringify(event)).sort()).toEqual(expectedEvents.sort());

    // Rejections are logged without their lines: no key, path or agent text from them.
    expect(logs).toContain('skipped a malformed log line');
    for (const secret of ['sk_live_', PLANTED_KEY, FUZZ_SECRET, 'Mozilla', '/v1/']) expect(logs).not.toContain(secret);
  });
});
