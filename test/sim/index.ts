/**
 * lowslow's traffic simulator: seeded, synthetic API traffic of honest keys and planted
 * low-and-slow abuse, written as NGINX access log lines in lowslow's log_format, with a
 * truth file naming the abusive keys. Library: `simulate()` (lines, events, truth) and
 * `generateEvents()` (the time-ordered event generator). CLI:
 *
 *   tsx test/sim/index.ts --seed 1 --days 7 --start 2026-11-02T00:00:00Z --keys 40 \
 *     --attack-day 3 --attacks slow-scraper,deep-pager,shared-key,new-key-scraper \
 *     --out samples/scraper-week.log.gz --truth samples/scraper-week.truth.json
 *
 * The defaults give the bundled sample: the classic population and the four classic attacks.
 * Everything newer is opt-in, so earlier runs stay byte-identical: `--population extended`
 * (back-office staff, heavy users, pollers, keys onboarded mid-period, and honest drift from
 * day floor(days / 2), see `--drift-day`), `--attacks all` or a list with the newer kinds
 * (volume-matched-scraper, night-export, bola-prober, injection-prober), `--attack-spread N`
 * to start the instances of each kind over N days. The month-long and multi-key kinds
 * (coverage-scraper, distributed-scraper, consumer-scraper) are planted only when named; with
 * `--accounts` the API also serves /v1/accounts/{int}, and `--format kong` writes Kong
 * serialize() lines carrying each key's consumer. For example, the detection benchmark's run:
 *
 *   tsx test/sim/index.ts --seed 1 --days 21 --keys 300 --population extended --drift-day 10 \
 *     --attack-day 7 --attack-spread 10 --attacks all:2,slow-scraper:5,new-key-scraper:5,volume-matched-scraper:5 \
 *     --out run.log --truth run.truth.json
 */
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parseAttackMix, resolveOptions, SimOptionError, type Population, type SimOptions } from './options.js';
import { simulate } from './simulate.js';
import { writeLog } from './write-log.js';

export { simulate, type Simulation } from './simulate.js';
export { generateEvents } from './generate.js';
export { buildRoster } from './roster.js';
export { formatNginxLine } from './format-nginx.js';
export { resolveOptions, parseAttackMix, type SimOptions, type AttackMix, type Population } from './options.js';
export { ATTACK_KINDS, SCRAPER_KINDS, type AttackKind, type PersonaName } from './personas/index.js';
export type { SimEvent, SimRequest } from './event.js';
export type { Truth, TruthKey } from './truth.js';

const USAGE = `usage: tsx test/sim/index.ts [--seed N] [--days N] [--start ISO-MIDNIGHT] [--keys N]
       [--attack-day N] [--attack-spread DAYS] [--attacks KIND[:COUNT],...|all[:COUNT]|none]
       [--population classic|extended] [--drift-day N|none] [--accounts] [--format nginx|kong]
       [--out FILE[.gz]|-] [--truth FILE]`;

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seed: { type: 'string' },
      days: { type: 'string' },
      start: { type: 'string' },
      keys: { type: 'string' },
      'attack-day': { type: 'string' },
      'attack-spread': { type: 'string' },
      attacks: { type: 'string' },
      population: { type: 'string' },
      'drift-day': { type: 'string' },
      accounts: { type: 'boolean' },
      format: { type: 'string' },
      out: { type: 'string' },
      truth: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stderr.write(USAGE + '\n');
    return;
  }
  const input: Partial<SimOptions> = {};
  if (values.seed !== undefined) input.seed = Number(values.seed);
  if (values.days !== undefined) input.days = Number(values.days);
  if (values.start !== undefined) input.start = values.start;
  if (values.keys !== undefined) input.keys = Number(values.keys);
  if (values['attack-day'] !== undefined) input.attackDay = Number(values['attack-day']);
  if (values['attack-spread'] !== undefined) input.attackSpread = Number(values['attack-spread']);
  if (values.attacks !== undefined) input.attacks = parseAttackMix(values.attacks);
  if (values.population !== undefined) input.population = values.population as Population;
  if (values['drift-day'] !== undefined) input.driftDay = values['drift-day'] === 'none' ? null : Number(values['drift-day']);
  if (values.accounts) input.accounts = true;
  if (values.format !== undefined) input.format = values.format as SimOptions['format'];
  const opts = resolveOptions(input);
  const sim = simulate(opts);
  const count = await writeLog(sim.lines, values.out);
  if (values.truth) await writeFile(values.truth, JSON.stringify(sim.truth, null, 2) + '\n');
  process.stderr.write(`sim: ${count} lines, ${opts.keys} keys (${opts.population}), ${opts.days} days from ${opts.start}, seed ${opts.seed}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof SimOptionError ? `${err.message}\n${USAGE}` : String((err as Error)?.stack ?? err)}\n`);
    process.exitCode = 1;
  });
}
