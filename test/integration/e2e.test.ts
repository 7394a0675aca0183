import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { validateAlert, type Alert } from '../../contracts/index.js';
import { computeKeyId } from '../../agent/sanitize/key-id.js';
import { runCli, type CliProcess } from '../support/cli.js';
import { HONEST_KEYS, scenario } from '../support/log-lines.js';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

const SECRET = 'e2e-secret-0123456789abcdef';
const START = Date.UTC(2026, 10, 2) / 1000;

describe('end to end: log file → agent → NATS → detector → Redis → alert on NATS and in the API', () => {
  let nats: NatsServer;
  let redis: RedisServer;
  let agent: CliProcess;
  let detector: CliProcess;
  let nc: NatsConnection;
  let api = '';
  const dir = mkdtempSync(join(tmpdir(), 'lowslow-e2e-'));
  const log = join(dir, 'access.json');

  beforeAll(async () => {
    [nats, redis] = await Promise.all([startNatsServer(), startRedisServer()]);
    writeFileSync(log, '');
    const env = {
      LOWSLOW_KEY_SECRET: SECRET,
      LOWSLOW_NATS_SERVERS: nats.url,
      LOWSLOW_NATS_PARTITIONS: '4',
      LOWSLOW_REDIS_URL: redis.url,
      LOWSLOW_INPUTS_FILE_PATHS: log,
      LOWSLOW_API_PORT: '0',
      LOWSLOW_SOURCE_HOST: 'gw1',
      LOWSLOW_AGENT_STATE_DIR: join(dir, 'state'),
      LOWSLOW_AGENT_METRICS_PORT: '0',
    };
    detector = runCli(['detector'], env);
    const line = await detector.waitFor(/"url":"http:\/\/127\.0\.0\.1:\d+"/, 30_000);
    api = (JSON.parse(`{${line}}`) as { url: string }).url;
    agent = runCli(['agent'], env);
    await agent.waitFor('following file', 30_000);
    nc = await connect({ servers: nats.url });
  }, 90_000);

  afterAll(async () => {
    await nc?.close();
    await Promise.all([agent?.stop(), detector?.stop()]);
    await Promise.all([nats?.stop(), redis?.stop()]);
  });

  it('raises one alert for the key that starts scraping, and none for honest keys', async () => {
    const lines = scenario({ start: START, days: 5, attackDay: 3 });
    // Appended in chunks, as a gateway writes: the agent follows the file as it grows.
    for (let i = 0; i < lines.length; i += 2000) {
      appendFileSync(log, `${lines.slice(i, i + 2000).join('\n')}\n`);
      await sleep(20);
    }
    appendFileSync(log, 'this line is not json\n');
    const scraper = computeKeyId(SECRET, HONEST_KEYS[0] as string);

    let alerts: Alert[] = [];
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const res = await fetch(`${api}/v1/alerts?key_id=${scraper}`);
      alerts = ((await res.json()) as { alerts: Alert[] }).alerts;
      if (alerts.length > 0) break;
      await sleep(250);
    }
    expect(alerts).toHaveLength(1);
    const alert = alerts[0] as Alert;
    expect(validateAlert(alert)).toBe(true);
    expect(alert.reasons.map((r) => r.feature)).toContain('sequential_share');
    // The scraping started on day 3 at 00:00; the first window of it is the one that alerted.
    expect(alert.window.start).toBe((START + 3 * 86_400) * 1000);

    const single = await fetch(`${api}/v1/alerts/${alert.id}`);
    expect(single.status).toBe(200);
    expect(((await single.json()) as Alert).id).toBe(alert.id);

    const all = (await (await fetch(`${api}/v1/alerts`)).json()) as { alerts: Alert[] };
    expect(all.alerts.map((a) => a.key_id)).toEqual([scraper]);

    // The same alert is in LOWSLOW_ALERTS on lowslow.alerts.<severity>.<gateway>.
    const js = jetstream(nc);
    const consumer = await js.consumers.get('LOWSLOW_ALERTS');
    const m = await consumer.next({ expires: 5_000 });
    expect(m).not.toBeNull();
    expect(m?.subject).toBe(`lowslow.alerts.${alert.severity}.nginx`);
    const published = m?.json<Alert>();
    expect(published?.id).toBe(alert.id);
    expect(validateAlert(published)).toBe(true);
  }, 120_000);

  it('published every well-formed line exactly once, without the raw key, and counted the bad one', async () => {
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    const info = await jsm.streams.info('LOWSLOW_EVENTS');
    const consumer = await js.consumers.get('LOWSLOW_EVENTS');
    const ids = new Set<string>();
    let events = 0;
    const iter = await consumer.fetch({ max_messages: info.state.messages, expires: 5_000 });
    for await (const m of iter) {
      const text = m.string();
      for (const k of HONEST_KEYS) expect(text.includes(k)).toBe(false);
      expect(m.subject).toMatch(/^lowslow\.events\.p[0-3]\.nginx\.gw1$/);
      for (const line of text.split('\n')) {
        ids.add((JSON.parse(line) as { id: string }).id);
        events++;
      }
      if (ids.size >= 0 && events >= expectedEvents()) break;
    }
    expect(events).toBe(expectedEvents());
    expect(ids.size).toBe(events);
    await agent.stop('SIGTERM');
    expect(agent.stderr()).toContain('"reason":"not_json"');
    expect(agent.stderr()).toContain('skipped a malformed log line');
  }, 60_000);
});

function expectedEvents(): number {
  return scenario({ start: START, days: 5, attackDay: 3 }).length;
}
