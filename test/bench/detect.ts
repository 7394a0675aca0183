/**
 * `npm run bench:detect`: detection on the project's own simulated traffic. For three seeds,
 * three weeks of 300 keys (the extended population: honest drift, back-office staff, heavy
 * users, pollers, keys onboarded mid-period) with every attack kind planted, written once as
 * NGINX logs under .tmp/bench/, then replayed through the real pipeline in-process (parser,
 * sanitizer, detector) as `lowslow replay` does. Prints recall and time to detect per attack
 * type, false alerts per 1,000 key-days per honest persona, the best per-key rate limit that
 * raises no false alert next to it, and what is missed.
 * Targets (DESIGN.md): >= 90 % of low-and-slow scrapers within 24 h, every other attack type
 * caught at least once in three seeds, <= 1 false alert per 1,000 key-days.
 * Then the long-memory and campaign run (detect/long.ts): five weeks as Kong lines with consumers,
 * a month-long coverage scraper, distributed scrapers and consumers' scraping keys; catch rates,
 * time to detect and false alerts of every kind.
 * BENCH_SEEDS=1,2,3 (default) picks the seeds, BENCH_LONG_SEEDS those of the long run (default:
 * the same; "none" skips it).
 */
import { cpus, totalmem, type, release } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { validateConfig, type Config } from '../../contracts/index.js';
import { replay } from '../../bin/replay.js';
import { longOptions, printLong } from './detect/long.js';
import { printByKind, printDetection, printMisses, printNewKinds, printRateLimit } from './detect/report.js';
import { scoreRun, seenAlert, type RunScore, type SeenAlert } from './detect/score.js';
import { benchOptions, traffic, type Traffic } from './detect/traffic.js';
import type { SimOptions } from '../sim/options.js';
import type { KeyStats } from './detect/traffic-stats.js';

const SECRET = 'bench-detect-secret-0123456789abcdef';
const SEEDS = (process.env.BENCH_SEEDS ?? '1,2,3') === 'none' ? [] : (process.env.BENCH_SEEDS ?? '1,2,3').split(',').map(Number);
const LONG_SEEDS = (process.env.BENCH_LONG_SEEDS ?? SEEDS.join(',')) === 'none' ? [] : (process.env.BENCH_LONG_SEEDS ?? SEEDS.join(',')).split(',').map(Number);
const dir = join(process.cwd(), '.tmp', 'bench');
const began = performance.now();
const out = (line = ''): void => void process.stdout.write(line + '\n');

const config: unknown = { key_secret: SECRET };
if (!validateConfig(config)) throw new Error('bench:detect: default config does not validate');
const learningMs = config.detection.learning_hours * 3_600_000;

const cpu = cpus();
const first = benchOptions(SEEDS[0] ?? 1);
out(`lowslow bench:detect on ${cpu[0]?.model ?? 'cpu'} (${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB), ${type()} ${release()}, node ${process.version}`);
if (SEEDS.length > 0) out(
  `traffic: seeds ${SEEDS.join(', ')}; each ${first.keys} keys (${first.population} population), ${first.days} days from ${first.start.slice(0, 10)}, ` +
    `honest drift from day ${first.driftDay}, attacks starting on days ${first.attackDay}-${first.attackDay + first.attackSpread - 1}`,
);
out(`detector: default config (window ${config.detection.window_minutes} min, learning ${config.detection.learning_hours} h, threshold ${config.detection.threshold})`);
out();

const scores: RunScore[] = [];
const stats: Array<Record<string, KeyStats>> = [];
const personaOf: Array<Map<string, string>> = [];
let drift: { day: number; upgradeDay: number } | null = null;

/** One seed's run: traffic (cached), replayed through the pipeline, scored against its truth. */
async function runSeed(opts: SimOptions, runConfig: Config): Promise<{ score: RunScore; run: Traffic }> {
  const run = await traffic(opts, dir);
  const seen: SeenAlert[] = [];
  const summary = await replay({ files: [run.file], config: runConfig, log: pino({ level: 'silent' }), onAlert: (a) => seen.push(seenAlert(a)) });
  const score = scoreRun(opts.seed, run.truth, run.stats, seen, SECRET, learningMs);
  const rejected = Object.values(summary.rejected).reduce((a, b) => a + b, 0);
  const kinds = new Map<string, number>();
  for (const a of new Map(seen.map((x) => [x.id, x])).values()) kinds.set(a.kind, (kinds.get(a.kind) ?? 0) + 1);
  out(
    `seed ${opts.seed}: ${run.lines.toLocaleString('en')} lines ${run.generatedIn === null ? '(cached)' : `generated in ${run.generatedIn.toFixed(1)} s`}, ` +
      `replayed in ${summary.seconds.toFixed(1)} s (${Math.round(summary.lines / summary.seconds).toLocaleString('en')} lines/s), ` +
      `${run.truth.keys.length} keys, ${summary.windows.toLocaleString('en')} windows, ${new Set(seen.map((a) => a.id)).size} alerts ` +
      `(${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}), ${rejected} lines rejected`,
  );
  return { score, run };
}

for (const seed of SEEDS) {
  const { score, run } = await runSeed(benchOptions(seed), config);
  scores.push(score);
  stats.push(run.stats);
  personaOf.push(new Map(run.truth.keys.map((k) => [k.key, k.persona])));
  const d = run.truth.drift;
  if (d) drift = { day: d.day, upgradeDay: Math.round((d.agent_upgrade_day_ms - run.truth.window.start_ms) / 86_400_000) };
}
out();

const mark = (ok: boolean): string => (ok ? 'met' : 'NOT met');
if (SEEDS.length > 0) {
  const verdict = printDetection(scores, drift);
  out();
  const rateCaught = printRateLimit(scores, stats, personaOf);
  out();
  printByKind(scores, rateCaught);
  out();
  printMisses(scores);
  out();
  const newKindsPerK = printNewKinds(scores);
  out();
  out('Targets');
  out(`  scrapers caught within 24 h: ${(100 * verdict.scraperRecall).toFixed(1)} % (target >= 90 %): ${mark(verdict.scraperRecall >= 0.9)}`);
  out(
    `  every other attack type caught at least once in ${SEEDS.length} seeds: ${mark(verdict.neverCaught.length === 0)}` +
      (verdict.neverCaught.length ? ` (never: ${verdict.neverCaught.join(', ')})` : ''),
  );
  out(`  false alerts: ${verdict.falsePerK.toFixed(2)} per 1,000 key-days (target <= 1): ${mark(verdict.falsePerK <= 1)}`);
  out(`  false coverage and campaign alerts: ${newKindsPerK.toFixed(2)} per 1,000 key-days (target <= 1): ${mark(newKindsPerK <= 1)}`);
  out();
}

if (LONG_SEEDS.length > 0) {
  const long = longOptions(LONG_SEEDS[0] ?? 1);
  out(
    `Long memory and campaigns: seeds ${LONG_SEEDS.join(', ')}; each ${long.keys} keys (${long.population}, with accounts), ${long.days} days as Kong serialize() lines with consumers, ` +
      `attacks starting on days ${long.attackDay}-${long.attackDay + long.attackSpread - 1}`,
  );
  const longConfig: unknown = { key_secret: SECRET, inputs: { file: { format: 'kong' } } };
  if (!validateConfig(longConfig)) throw new Error('bench:detect: kong config does not validate');
  const longScores: RunScore[] = [];
  for (const seed of LONG_SEEDS) longScores.push((await runSeed(longOptions(seed), longConfig)).score);
  out();
  const never = printLong(longScores);
  out();
  const longVerdict = printDetection(longScores, null);
  out();
  const longNew = printNewKinds(longScores);
  out();
  out('Targets (long run)');
  out(`  every long-memory and campaign attack type caught: ${mark(never.length === 0)}${never.length ? ` (never: ${never.join(', ')})` : ''}`);
  out(`  false alerts of key windows: ${longVerdict.falsePerK.toFixed(2)} per 1,000 key-days (target <= 1): ${mark(longVerdict.falsePerK <= 1)}`);
  out(`  false coverage and campaign alerts: ${longNew.toFixed(2)} per 1,000 key-days (target <= 1): ${mark(longNew <= 1)}`);
  out();
}
out(`elapsed ${((performance.now() - began) / 1000).toFixed(1)} s`);
