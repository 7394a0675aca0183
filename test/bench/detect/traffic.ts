/**
 * The benchmark's traffic: one simulated run per seed, written once as an NGINX log under
 * .tmp/bench/ with its per-key statistics, and reused while neither the options nor the
 * simulator's source change (the file names carry a fingerprint of both).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAttackMix, resolveOptions, type SimOptions } from '../../sim/options.js';
import { simulate } from '../../sim/simulate.js';
import type { Truth } from '../../sim/truth.js';
import { writeLog } from '../../sim/write-log.js';
import { TrafficStats, type KeyStats } from './traffic-stats.js';

/** Three weeks of 300 keys; attacks start from the second week over 10 days; drift on day 10. */
export function benchOptions(seed: number): SimOptions {
  return resolveOptions({
    seed,
    days: 21,
    keys: 300,
    start: '2026-11-02T00:00:00Z',
    population: 'extended',
    driftDay: 10,
    attackDay: 7,
    attackSpread: 10,
    attacks: parseAttackMix('all:2,slow-scraper:3,new-key-scraper:3,volume-matched-scraper:3'),
  });
}

export interface Traffic {
  opts: SimOptions;
  truth: Truth;
  file: string;
  stats: Record<string, KeyStats>;
  lines: number;
  /** Seconds spent generating; null when the cached log was used. */
  generatedIn: number | null;
}

/** The run for `opts`: from the cache, or generated (log and statistics in one pass). */
export async function traffic(opts: SimOptions, dir: string): Promise<Traffic> {
  mkdirSync(dir, { recursive: true });
  // One cached log per seed and run length (the main and the long run keep theirs side by side).
  const prefix = `detect-s${opts.seed}-${opts.days}d-`;
  const name = `${prefix}${fingerprint(opts)}`;
  const file = join(dir, `${name}.log`);
  const statsFile = join(dir, `${name}.stats.json`);
  const sim = simulate(opts);
  if (existsSync(file) && existsSync(statsFile)) {
    const cached = JSON.parse(readFileSync(statsFile, 'utf8')) as { lines: number; stats: Record<string, KeyStats> };
    return { opts, truth: sim.truth, file, stats: cached.stats, lines: cached.lines, generatedIn: null };
  }
  // Older runs of this seed (other options or simulator) are of no further use.
  for (const f of readdirSync(dir)) if (f.startsWith(prefix)) rmSync(join(dir, f));
  const started = performance.now();
  const stats = new TrafficStats(sim.truth);
  function* lines(): Generator<string> {
    for (const e of sim.events) {
      stats.add(e);
      yield sim.line(e);
    }
  }
  // Written under another name first, so an interrupted run never leaves a log that looks complete.
  const count = await writeLog(lines(), file + '.part');
  renameSync(file + '.part', file);
  const result = stats.result();
  writeFileSync(statsFile, JSON.stringify({ lines: count, stats: result }));
  return { opts, truth: sim.truth, file, stats: result, lines: count, generatedIn: (performance.now() - started) / 1000 };
}

/** Options plus every simulator source file: a change in either makes a new log. */
function fingerprint(opts: SimOptions): string {
  const hash = createHash('sha256').update(JSON.stringify(opts));
  const root = new URL('../../sim/', import.meta.url).pathname;
  for (const f of sourceFiles(root)) hash.update(relative(root, f)).update(readFileSync(f));
  return hash.digest('hex').slice(0, 12);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? sourceFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []))
    .sort();
}
