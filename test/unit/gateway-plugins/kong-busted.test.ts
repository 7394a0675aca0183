/**
 * Runs the Kong plugin's busted specs (gateway-plugins/kong/spec/, LuaJIT, stubbed `kong`) as a
 * child process, so `npm test` covers the Lua code too. Each spec failure is reported by name.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { KONG_PLUGIN_DIR, missingLuaTools } from '../../support/lua.js';

const missing = missingLuaTools();
if (missing.length > 0) {
  console.warn(`Kong plugin specs skipped: ${missing.join(' and ')} not on PATH (apt-get install ${missing.join(' ')}, or run npm test as root)`);
}

interface BustedResult {
  successes: Array<{ name: string }>;
  failures: Array<{ name: string; message: string; trace?: { short_src?: string; currentline?: number } }>;
  errors: Array<{ name: string; message: string }>;
  pendings: unknown[];
}

describe.skipIf(missing.length > 0)('Kong plugin specs (busted under LuaJIT)', () => {
  it('pass, every one of them', () => {
    // .busted in that folder selects LuaJIT and the spec folder.
    const run = spawnSync('busted', ['--lua=luajit', '--output=json'], { cwd: KONG_PLUGIN_DIR, encoding: 'utf8', timeout: 30_000 });
    const start = run.stdout.indexOf('{');
    if (start < 0) throw new Error(`busted printed no result (exit ${run.status}): ${run.stderr}${run.stdout}`);
    const result = JSON.parse(run.stdout.slice(start)) as BustedResult;
    const problems = [...result.failures, ...result.errors].map((f) => `${f.name}: ${f.message}`);
    expect(problems).toEqual([]);
    expect(result.successes.length).toBeGreaterThanOrEqual(41);
    expect(run.status).toBe(0);
  });
});
