/**
 * The docker-compose demo's data path without Docker: the demo API, a real nginx running the
 * demo's own http { } block (deploy/nginx/nginx.conf, with compose host names and paths swapped
 * for loopback ones) and the live-paced simulator (test/sim/live.ts, sped up and bounded). What
 * the agent would read, the history file and nginx's log, must parse into events with the
 * agent's own key_id and no raw key, and the API must answer as the simulator asked.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNginxJson } from '../../agent/parsers/nginx-json.js';
import { computeKeyId } from '../../agent/sanitize/key-id.js';
import { ROOT } from '../support/cli.js';
import { startNginx, type Nginx } from '../support/nginx.js';
import { freePort, waitForTcp } from '../support/ports.js';

const SECRET = 'compose-path-secret-0123456789';
const PARSE = { maxLineBytes: 65536, keyHeaders: ['x-api-key'], bearer: true };
const LIVE = 40;

function run(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<number | null>; out: () => string } {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, done: new Promise((r) => child.once('exit', (c) => r(c))), out: () => out };
}

describe('the compose demo path: live simulator → nginx with the plugin → demo API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lowslow-compose-path-'));
  const log = join(dir, 'lowslow.json');
  const history = join(dir, 'history.json');
  let api: ReturnType<typeof run>;
  let nginx: Nginx;
  let port = 0;

  beforeAll(async () => {
    const apiPort = await freePort();
    port = await freePort();
    api = run([join(ROOT, 'deploy/demo-api/server.mjs')], { PORT: String(apiPort) });
    await waitForTcp(apiPort);
    const conf = readFileSync(join(ROOT, 'deploy/nginx/nginx.conf'), 'utf8');
    const http = conf
      .slice(conf.indexOf('http {') + 'http {'.length, conf.lastIndexOf('}'))
      // The support launcher sets the temp paths itself.
      .replace(/^\s*\w+_temp_path .*$/gm, '')
      .replace('server demo-api:3000;', `server 127.0.0.1:${apiPort};`)
      .replace('listen 8080;', `listen 127.0.0.1:${port};`)
      .replace('/var/log/nginx/lowslow.json', log);
    nginx = await startNginx({ main: 'env LOWSLOW_KEY_SECRET;', env: { LOWSLOW_KEY_SECRET: SECRET }, links: { lowslow: join(ROOT, 'gateway-plugins/nginx') }, ports: [port], http });
  }, 60_000);

  afterAll(async () => {
    await nginx?.stop();
    api?.child.kill('SIGTERM');
    await api?.done;
  });

  it('answers through nginx with the status and size the simulator asks for', async () => {
    const r = await fetch(`http://127.0.0.1:${port}/v1/customers/77`, { headers: { 'x-demo-status': '404', 'x-demo-bytes': '123', 'x-api-key': 'sk_live_probe' } });
    expect(r.status).toBe(404);
    expect((await r.arrayBuffer()).byteLength).toBe(123);
  });

  it('writes the history at once, then sends live requests that nginx logs with the agent’s key_id and without the raw key', async () => {
    const player = run(
      ['--import', 'tsx', join(ROOT, 'test/sim/live.ts'), '--target', `http://127.0.0.1:${port}`, '--history', history, '--days', '2', '--keys', '12', '--seed', '5', '--start-delay', '0', '--pace', '3600', '--live-limit', String(LIVE),
        // Noon of today (UTC): half a simulated day left to send, whatever the clock says.
        '--now', new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 43_200_000).toISOString()],
    );
    expect(await player.done, player.out()).toBe(0);
    expect(player.out()).toMatch(new RegExp(`live: done, ${LIVE} sent, 0 failed`));
    await nginx.stop();

    const historyLines = readFileSync(history, 'utf8').trimEnd().split('\n');
    expect(historyLines.length).toBeGreaterThan(100);
    for (const line of historyLines.slice(0, 200)) expect(typeof parseNginxJson(line, PARSE), line).toBe('object');

    const text = readFileSync(log, 'utf8');
    const records = text.trimEnd().split('\n').map((l) => parseNginxJson(l, PARSE));
    // The probe of the test before, and the live requests.
    expect(records).toHaveLength(LIVE + 1);
    // The simulator's raw keys (sk_live_…) never reach the log; key_id is the agent's HMAC.
    expect(text).not.toMatch(/sk_live_/);
    const keyed = records.filter((r) => typeof r === 'object' && r.keyId);
    expect(keyed.length).toBeGreaterThan(LIVE / 2);
    const rawKeys = historyLines.map((l) => (JSON.parse(l) as { api_key: string }).api_key).filter((k) => k !== '');
    const known = new Set([...rawKeys, 'sk_live_probe'].map((k) => computeKeyId(SECRET, k)));
    for (const r of keyed) if (typeof r === 'object') expect(known.has(r.keyId as string), r.keyId ?? '').toBe(true);
  }, 120_000);
});
