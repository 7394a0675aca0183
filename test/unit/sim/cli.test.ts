import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAttackMix } from '../../sim/options.js';
import { simulate } from '../../sim/simulate.js';
import type { Truth } from '../../sim/truth.js';
import { writeLog } from '../../sim/write-log.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = join(ROOT, 'test', 'sim', 'index.ts');
const run = promisify(execFile);
const opts = { seed: 5, days: 1, keys: 10, attackDay: 0 };

describe('simulator output files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lowslow-sim-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes gzip when the file name ends in .gz', async () => {
    const lines = [...simulate(opts).lines];
    const file = join(dir, 'day.log.gz');
    expect(await writeLog(lines, file)).toBe(lines.length);
    expect(gunzipSync(await readFile(file)).toString('utf8')).toBe(lines.join('\n') + '\n');
  });

  it('writes plain text otherwise', async () => {
    const lines = [...simulate(opts).lines];
    const file = join(dir, 'day.log');
    await writeLog(lines, file);
    expect(await readFile(file, 'utf8')).toBe(lines.join('\n') + '\n');
  });

  it('runs from the command line, writing the log and the truth file and counting lines on stderr', async () => {
    const out = join(dir, 'cli.log.gz');
    const truth = join(dir, 'cli.truth.json');
    const args = [CLI, '--seed', '5', '--days', '1', '--keys', '10', '--attack-day', '0', '--out', out, '--truth', truth];
    const { stderr } = await run(TSX, args);
    const expected = [...simulate(opts).lines];
    expect(stderr).toContain(`${expected.length} lines`);
    expect(gunzipSync(await readFile(out)).toString('utf8')).toBe(expected.join('\n') + '\n');
    expect(JSON.parse(await readFile(truth, 'utf8'))).toEqual(simulate(opts).truth);
  });

  it('takes the extended population, drift day, attack spread and attack list from the command line', async () => {
    const out = join(dir, 'extended.log');
    const truth = join(dir, 'extended.truth.json');
    const args = [CLI, '--seed', '2', '--days', '2', '--keys', '40', '--attack-day', '0', '--attack-spread', '2',
      '--population', 'extended', '--drift-day', 'none', '--attacks', 'all,bola-prober:2', '--out', out, '--truth', truth];
    await run(TSX, args);
    const expected = simulate({ seed: 2, days: 2, keys: 40, attackDay: 0, attackSpread: 2, population: 'extended', driftDay: null, attacks: parseAttackMix('all,bola-prober:2') });
    expect(await readFile(out, 'utf8')).toBe([...expected.lines].join('\n') + '\n');
    const written = JSON.parse(await readFile(truth, 'utf8')) as Truth;
    expect(written).toEqual(expected.truth);
    expect(written.options).toMatchObject({ population: 'extended', drift_day: null, attack_spread: 2 });
    expect(written.keys.filter((k) => k.persona === 'bola-prober')).toHaveLength(3);
  });

  it('refuses an unknown attack kind, naming the option', async () => {
    const args = [CLI, '--attacks', 'ddos', '--out', join(dir, 'x.log')];
    await expect(run(TSX, args)).rejects.toMatchObject({ stderr: expect.stringContaining('--attacks') });
  });
});
