/**
 * `npm run bench:replay`: one million simulated log lines analysed end to end in one process
 * (parse → sanitize → windows → features → score → alerts), as `lowslow replay` does.
 * Target (DESIGN.md): < 30 s. Prints lines/s, peak RSS and the alerts found against the truth.
 */
import { mkdirSync, existsSync, statSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { validateConfig, type Config } from '../../contracts/index.js';
import { computeKeyId } from '../../agent/sanitize/key-id.js';
import { replay } from '../../bin/replay.js';
import { simulate } from '../sim/simulate.js';
import { writeLog } from '../sim/write-log.js';

const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const dir = join(process.cwd(), '.tmp', 'bench');
mkdirSync(dir, { recursive: true });
const file = join(dir, `replay-${LINES}.log`);
const SECRET = 'bench-replay-secret-0123456789';

// 300 keys over 17 days is about a million lines; generated once and kept in .tmp/.
const opts = { seed: 7, days: Math.max(1, Math.round((17 * LINES) / 1_000_000)), start: '2026-11-02T00:00:00Z', keys: 300 };
const sim = simulate(opts);
if (!existsSync(file)) {
  process.stderr.write(`generating ${file} …\n`);
  await writeLog(sim.lines, file);
}

const config = { key_secret: SECRET };
if (!validateConfig(config)) throw new Error('config');
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
const summary = await replay({ files: [file], config: config as Config, log: pino({ level: 'silent' }), onAlert: () => undefined });
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

const truth = new Map(sim.truth.keys.map((k) => [computeKeyId(SECRET, k.key), k]));
const abusive = sim.truth.keys.filter((k) => k.abusive).length;
const caught = new Set(summary.alerts.filter((a) => truth.get(a.key_id)?.abusive).map((a) => a.key_id)).size;
const falseAlerts = summary.alerts.filter((a) => !truth.get(a.key_id)?.abusive).length;

const row = (k: string, v: string) => process.stdout.write(`${k.padEnd(28)} ${v}\n`);
process.stdout.write(`lowslow bench:replay on ${cpus()[0]?.model ?? 'cpu'} (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB), node ${process.version}\n`);
row('log file', `${summary.lines.toLocaleString('en')} lines, ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB, ${sim.truth.keys.length} keys, ${opts.days} days`);
row('wall time', `${summary.seconds.toFixed(2)} s   (target < 30 s for 1M lines)`);
row('throughput', `${Math.round(summary.lines / summary.seconds).toLocaleString('en')} lines/s`);
row('peak RSS', `${(peakRss / 2 ** 20).toFixed(0)} MiB`);
row('windows closed', summary.windows.toLocaleString('en'));
row('abusive keys caught', `${caught} of ${abusive}`);
row('alerts on honest keys', `${falseAlerts} (over ${(sim.truth.keys.length - abusive) * opts.days} key-days)`);
