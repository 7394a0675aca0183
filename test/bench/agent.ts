/**
 * `npm run bench:agent`: tail → parse → sanitize → JetStream (acknowledged), through the real
 * agent pipeline and file input against a real nats-server on this machine.
 * Target (DESIGN.md): ≥ 200,000 lines/s on one core, RSS < 150 MB.
 * Runs (1) a generated nginx-json log of BENCH_LINES lines (default 1,000,000) and (2) the real
 * elastic/examples apache_logs (combined format) concatenated to the same size, when present,
 * BENCH_RUNS times each (default 3), and prints every run and each input's median.
 * The agent runs with its default config (BENCH_BATCH overrides nats.batch_size; BENCH_AGENT runs
 * another build of bin/lowslow.js, to compare two versions on the same machine).
 */
import { closeSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import type { LineFormat } from '../../contracts/index.js';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';
import { nginxLine } from '../support/log-lines.js';
import { hasShared, sharedFile } from '../support/shared-data.js';

const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
/** Runs of each input (BENCH_RUNS): a shared virtual machine varies by ±15 % from run to run. */
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const dir = join(process.cwd(), '.tmp', 'bench');
mkdirSync(dir, { recursive: true });

async function writeLines(file: string, n: number, line: (i: number) => string): Promise<void> {
  if (existsSync(file)) return;
  const out = createWriteStream(file);
  const chunk: string[] = [];
  for (let i = 1; i <= n; i++) {
    chunk.push(line(i));
    if (chunk.length === 10_000) {
      if (!out.write(`${chunk.join('\n')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk.length = 0;
    }
  }
  if (chunk.length) out.write(`${chunk.join('\n')}\n`);
  await new Promise<void>((r) => out.end(() => r()));
}

/**
 * Lines/s of JSON.parse alone over the first 200,000 generated lines (best of 5), in this process:
 * a figure of the machine, not of lowslow, so runs on different machines can be compared.
 */
function parseOnlyRate(file: string): number {
  const head = Buffer.alloc(96 * 2 ** 20);
  const fd = openSync(file, 'r');
  const text = head.toString('latin1', 0, readSync(fd, head, 0, head.length, 0));
  closeSync(fd);
  const lines: string[] = [];
  for (let at = 0; lines.length < 200_000; ) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) break;
    lines.push(text.slice(at, nl));
    at = nl + 1;
  }
  let best = Infinity;
  let sink = 0;
  for (let round = 0; round < 5; round++) {
    const started = process.hrtime.bigint();
    for (const line of lines) sink += (JSON.parse(line) as { status: string }).status.length;
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e9);
  }
  if (sink === 0) throw new Error('parsed nothing');
  return lines.length / best;
}

interface Result {
  name: string;
  lines: number;
  seconds: number;
  peakRssMb: number;
  cpuSeconds: number;
  published: number;
  /** Seconds from spawn to the first acknowledged events. */
  firstAt: number;
  /** Lines/s from the first acknowledged events to the last. */
  steadyRate: number;
  /** nats-server CPU seconds during the run, and the agent's acknowledgement latency. */
  natsCpuSeconds: number;
  /** Share of the machine's CPU time taken by the hypervisor for others during the run (a virtual machine's noise). */
  stealShare: number;
  ack: { meanMs: number; p99Ms: string };
}

/** VmHWM (peak RSS, MB) and user+system CPU seconds of a process, from /proc. */
function procStats(pid: number): { peakRssMb: number; cpuSeconds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { peakRssMb: hwm, cpuSeconds: ticks / 100 };
}

/** Machine-wide CPU ticks from /proc/stat: all of them, and those the hypervisor gave to others (steal). */
function machineTicks(): { total: number; steal: number } {
  const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  return { total: f.reduce((a, b) => a + b, 0), steal: f[7] ?? 0 };
}

/** Mean JetStream acknowledgement latency and the bucket bound below which 99 % fell, from /metrics. */
async function ackLatency(url: string): Promise<{ meanMs: number; p99Ms: string }> {
  const text = await (await fetch(url)).text();
  const count = Number(/^lowslow_agent_publish_latency_ms_count (\d+)/m.exec(text)?.[1] ?? 0);
  const sum = Number(/^lowslow_agent_publish_latency_ms_sum ([\d.e+]+)/m.exec(text)?.[1] ?? 0);
  let p99Ms = '?';
  for (const m of text.matchAll(/^lowslow_agent_publish_latency_ms_bucket\{le="([^"]+)"\} (\d+)/gm)) {
    if (Number(m[2]) >= 0.99 * count) {
      p99Ms = m[1] as string;
      break;
    }
  }
  return { meanMs: count > 0 ? sum / count : 0, p99Ms };
}

async function publishedSoFar(url: string): Promise<number> {
  try {
    const text = await (await fetch(url)).text();
    const pub = Number(/^lowslow_agent_events_published_total (\d+)/m.exec(text)?.[1] ?? 0);
    const rej = [...text.matchAll(/^lowslow_agent_lines_rejected_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
    return pub + rej;
  } catch {
    return 0;
  }
}

/** Runs the built agent (dist/) as its own process, as users run it, and times it to the last ack. */
async function run(name: string, file: string, format: LineFormat, nats: NatsServer, lines: number): Promise<Result> {
  const natsUrl = nats.url;
  const natsCpuBefore = procStats(nats.pid).cpuSeconds;
  const ticksBefore = machineTicks();
  const state = mkdtempSync(join(tmpdir(), 'lowslow-bench-agent-'));
  const metricsPort = 19_464 + Math.floor(Math.random() * 1000);
  // BENCH_NODE_FLAGS (e.g. `--cpu-prof --cpu-prof-dir=.tmp/prof`) profiles the agent process.
  const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '');
  const child = spawn(process.execPath, [...nodeFlags, process.env.BENCH_AGENT ?? join(process.cwd(), 'dist/bin/lowslow.js'), 'agent'], {
    env: {
      PATH: process.env.PATH ?? '',
      LOWSLOW_KEY_SECRET: 'bench-agent-secret-0123456789',
      LOWSLOW_SOURCE_HOST: 'bench',
      LOWSLOW_INPUTS_FILE_PATHS: file,
      LOWSLOW_INPUTS_FILE_FORMAT: format,
      LOWSLOW_INPUTS_FILE_FROM_BEGINNING: 'true',
      LOWSLOW_NATS_SERVERS: natsUrl,
      ...(process.env.BENCH_BATCH ? { LOWSLOW_NATS_BATCH_SIZE: process.env.BENCH_BATCH } : {}),
      LOWSLOW_AGENT_STATE_DIR: state,
      LOWSLOW_AGENT_METRICS_PORT: String(metricsPort),
      LOWSLOW_LOG_LEVEL: 'warn',
      ...(process.env.LOWSLOW_AGENT_MAX_BUFFERED_EVENTS ? { LOWSLOW_AGENT_MAX_BUFFERED_EVENTS: process.env.LOWSLOW_AGENT_MAX_BUFFERED_EVENTS } : {}),
      ...(process.env.LOWSLOW_NATS_BATCH_MAX_BYTES ? { LOWSLOW_NATS_BATCH_MAX_BYTES: process.env.LOWSLOW_NATS_BATCH_MAX_BYTES } : {}),
    },
    stdio: ['ignore', process.env.BENCH_AGENT_STDOUT ? 'inherit' : 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${metricsPort}/metrics`;
  const t0 = process.hrtime.bigint();
  let done = 0;
  let stats = { peakRssMb: 0, cpuSeconds: 0 };
  // First sample with events acknowledged: where start-up (node, modules, config, NATS) ends.
  let firstAt = 0;
  let firstDone = 0;
  while (done < lines) {
    // Not faster: every scrape costs the agent CPU.
    await new Promise((r) => setTimeout(r, 50));
    done = await publishedSoFar(url);
    if (firstAt === 0 && done > 0) {
      firstAt = Number(process.hrtime.bigint() - t0) / 1e9;
      firstDone = done;
    }
    if (child.exitCode !== null) throw new Error(`agent exited with ${child.exitCode}`);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  stats = procStats(child.pid as number);
  const natsCpuSeconds = procStats(nats.pid).cpuSeconds - natsCpuBefore;
  const ticksAfter = machineTicks();
  const stealShare = (ticksAfter.steal - ticksBefore.steal) / Math.max(1, ticksAfter.total - ticksBefore.total);
  const ack = await ackLatency(url);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { name, lines, seconds, ...stats, published: done, firstAt, steadyRate: (done - firstDone) / (seconds - firstAt), natsCpuSeconds, stealShare, ack };
}

const nats = await startNatsServer();
try {
  const results: Result[] = [];
  const generated = join(dir, `agent-${LINES}.json`);
  await writeLines(generated, LINES, (i) =>
    nginxLine({ t: 1_793_600_000 + i / 200, key: `sk_live_bench_${i % 5000}`, uri: `/v1/customers/${i % 200_000}`, args: `page=${i % 7}&limit=50`, ip: `10.${i % 250}.${i % 13}.7`, id: i }),
  );
  const only = process.env.BENCH_ONLY ?? ''; // 'generated' or 'real': one input only
  const inputs: Array<{ name: string; file: string; format: LineFormat; lines: number }> = [];
  if (only !== 'real') inputs.push({ name: 'generated nginx-json', file: generated, format: 'nginx-json', lines: LINES });
  if (only !== 'generated' && hasShared('access-logs', 'elastic-examples', 'apache_logs')) {
    const copies = Math.ceil(LINES / 10_000);
    const real = join(dir, `apache-logs-x${copies}.log`);
    if (!existsSync(real)) {
      const text = readFileSync(sharedFile('access-logs', 'elastic-examples', 'apache_logs'), 'utf8');
      const body = text.endsWith('\n') ? text : `${text}\n`;
      await writeLines(real, copies, () => body.slice(0, -1));
    }
    inputs.push({ name: 'elastic apache_logs (combined), concatenated', file: real, format: 'nginx-combined', lines: copies * 10_000 });
  }
  // Rounds alternate the inputs, so a noisy spell of a shared machine spreads over both.
  for (let round = 0; round < RUNS; round++) for (const i of inputs) results.push(await run(i.name, i.file, i.format, nats, i.lines));
  process.stdout.write(`lowslow bench:agent on ${cpus()[0]?.model ?? 'cpu'} (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB), node ${process.version}, nats-server on the same machine\n`);
  process.stdout.write(`machine reference: JSON.parse alone of the generated lines, nothing else, runs at ${Math.round(parseOnlyRate(generated)).toLocaleString('en')} lines/s here\n`);
  for (const r of results) {
    process.stdout.write(
      `${r.name.padEnd(46)} ${r.lines.toLocaleString('en')} lines in ${r.seconds.toFixed(2)} s = ${Math.round(r.lines / r.seconds).toLocaleString('en')} lines/s acknowledged ` +
        `(target ≥ 200,000); after start-up (${r.firstAt.toFixed(2)} s to the first ack) ${Math.round(r.steadyRate).toLocaleString('en')} lines/s; ` +
        `agent CPU ${r.cpuSeconds.toFixed(2)} s (${((100 * r.cpuSeconds) / r.seconds).toFixed(0)} % of a core; ${Math.round(r.lines / r.cpuSeconds).toLocaleString('en')} lines per CPU second); ` +
        `peak RSS ${r.peakRssMb.toFixed(0)} MB (target < 150); ` +
        `nats-server CPU ${r.natsCpuSeconds.toFixed(2)} s (${((100 * r.natsCpuSeconds) / r.seconds).toFixed(0)} %), acknowledgements ${r.ack.meanMs.toFixed(1)} ms mean, 99 % within ${r.ack.p99Ms} ms; ` +
        `CPU steal ${(100 * r.stealShare).toFixed(1)} % of the machine\n`,
    );
  }
  if (RUNS > 1) {
    for (const i of inputs) {
      const runs = results.filter((r) => r.name === i.name);
      const rates = runs.map((r) => r.lines / r.seconds);
      const perCpu = runs.map((r) => r.lines / r.cpuSeconds);
      const fmt = (n: number) => Math.round(n).toLocaleString('en');
      process.stdout.write(
        `${i.name.padEnd(46)} ${runs.length} runs: median ${fmt(median(rates))} lines/s (best ${fmt(Math.max(...rates))}, worst ${fmt(Math.min(...rates))}; target ≥ 200,000); ` +
          `median ${fmt(median(perCpu))} lines per agent CPU second; peak RSS at most ${Math.max(...runs.map((r) => r.peakRssMb)).toFixed(0)} MB (target < 150)\n`,
      );
    }
  }
} finally {
  await nats.stop();
}
