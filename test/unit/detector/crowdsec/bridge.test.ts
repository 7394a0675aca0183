/**
 * The CrowdSec bridge against a real HTTP server playing the LAPI (CrowdSec itself cannot run here):
 * machine login, alerts with `apikey` decisions whose bodies match CrowdSec's swagger models, token
 * reuse, re-login on 401, retries on 5xx and network trouble, refusals dropped, the bounded queue,
 * decisions lifted by a false-positive verdict, publishing that never waits on the LAPI, and the
 * password (and token) in no log line, metric or stored error.
 */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig, type Alert, type Config } from '../../../../contracts/index.js';
import { createCrowdsec, type Crowdsec } from '../../../../detector/crowdsec/index.js';
import { CROWDSEC_BOX } from '../../../../detector/crowdsec/enqueue.js';
import { renderPrometheus } from '../../../../detector/metrics.js';
import { MemoryOutbox } from '../../../../detector/webhooks/memory-outbox.js';
import { startFakeLapi, type FakeLapi } from '../../../support/crowdsec-lapi.js';
import { makeAlert } from '../../../support/alerts.js';
import { until } from '../../../support/webhook-receiver.js';

const MACHINE = 'lowslow-detector-test';
const PASSWORD = 'canary-crowdsec-password-3f9a71d2';

const open: Array<{ close(): Promise<void> } | Crowdsec> = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await ('dispatcher' in x ? x.dispatcher.stop() : x.close());
});

function crowdsecConfig(url: string, over: Record<string, unknown> = {}): Config['detector']['crowdsec'] {
  const c = { detector: { crowdsec: { enabled: true, url, machine_id: MACHINE, password: PASSWORD, min_severity: 'medium', retry_initial_seconds: 0.02, retry_max_seconds: 0.05, poll_seconds: 0.02, timeout_seconds: 2, ...over } } };
  if (!validateConfig(c)) throw new Error(JSON.stringify(validateConfig.errors));
  return (c as unknown as Config).detector.crowdsec;
}

async function lapi(over: { password?: string; tokenTtlMs?: number } = {}): Promise<FakeLapi> {
  const l = await startFakeLapi({ machineId: MACHINE, password: over.password ?? PASSWORD, ...(over.tokenTtlMs ? { tokenTtlMs: over.tokenTtlMs } : {}) });
  open.push(l);
  return l;
}

function bridge(l: FakeLapi, over: Record<string, unknown> = {}, start = true) {
  const logs: string[] = [];
  const log: Logger = pino({ level: 'debug' }, new Writable({ write: (c: Buffer, _e, cb) => (logs.push(c.toString()), cb()) }));
  const outbox = new MemoryOutbox();
  const cs = createCrowdsec({ config: crowdsecConfig(l.url, over), outbox, log }) as Crowdsec;
  open.push(cs);
  if (start) cs.dispatcher.start();
  return { cs, outbox, logs };
}

/** An open, high alert raised now. */
const alert = (i: number, over: Partial<Alert> = {}): Alert => ({ ...makeAlert(i), severity: 'high', created_at: Date.now(), updated_at: Date.now(), ...over });

const paths = (l: FakeLapi) => l.requests.map((r) => `${r.method} ${r.path}`);

describe('CrowdSec bridge', () => {
  it('logs in as the machine, then pushes each alert with an apikey decision on its key_id, as the swagger models say', async () => {
    const l = await lapi();
    const { cs } = bridge(l);
    const a = alert(1);
    await cs.enqueuer.publish(a);
    await until(() => l.alerts.length === 1, 10_000, 'the alert in LAPI');
    expect(l.schemaErrors).toEqual([]);
    expect(paths(l)).toEqual(['POST /v1/watchers/login', 'POST /v1/alerts']);
    expect(l.requests[0]?.body).toEqual({ machine_id: MACHINE, password: PASSWORD, scenarios: ['lowslow/api-key-abuse'] });
    expect(l.requests[1]?.headers.authorization).toBe(`Bearer ${l.tokens[0]}`);
    expect(l.decisions).toMatchObject([{ scope: 'apikey', value: a.key_id, type: 'ban', duration: '4h', origin: 'lowslow', scenario: 'lowslow/api-key-abuse' }]);
    expect(l.alerts[0]).toMatchObject({ source: { scope: 'apikey', value: a.key_id }, simulated: false, scenario_version: a.model_version });
    // A bouncer asking the LAPI about the key sees the ban.
    const seen = (await (await fetch(`${l.url}/v1/decisions?scope=apikey&value=${a.key_id}`, { headers: { 'x-api-key': 'bouncer' } })).json()) as Array<{ type: string }>;
    expect(seen.map((d) => d.type)).toEqual(['ban']);
    await until(() => cs.metrics.pushed === 1, 5_000, 'pushed counter');
    expect(cs.metrics.logins.ok).toBe(1);
  });

  it('keeps its token across pushes and batches what is due', async () => {
    const l = await lapi();
    const { cs } = bridge(l, { batch_size: 10 }, false);
    for (const i of [1, 2, 3]) await cs.enqueuer.publish(alert(i));
    cs.dispatcher.start();
    await until(() => l.alerts.length === 3, 10_000, 'three alerts');
    await cs.enqueuer.publish(alert(4));
    await until(() => l.alerts.length === 4, 10_000, 'the fourth');
    expect(paths(l)).toEqual(['POST /v1/watchers/login', 'POST /v1/alerts', 'POST /v1/alerts']);
    expect((l.requests[1]?.body as unknown[]).length).toBe(3);
    expect(l.schemaErrors).toEqual([]);
  });

  it('logs in again when the LAPI answers 401 to a token it issued', async () => {
    const l = await lapi();
    const { cs } = bridge(l);
    await cs.enqueuer.publish(alert(1));
    await until(() => l.alerts.length === 1, 10_000, 'first alert');
    l.expireTokens();
    await cs.enqueuer.publish(alert(2));
    await until(() => l.alerts.length === 2, 10_000, 'second alert');
    expect(paths(l)).toEqual(['POST /v1/watchers/login', 'POST /v1/alerts', 'POST /v1/alerts', 'POST /v1/watchers/login', 'POST /v1/alerts']);
    expect(l.requests[2]?.headers.authorization).toBe(`Bearer ${l.tokens[0]}`);
    expect(l.requests[4]?.headers.authorization).toBe(`Bearer ${l.tokens[1]}`);
    expect(cs.metrics.logins.ok).toBe(2);
    expect(cs.metrics.retried).toBe(0);
  });

  it('renews a token about to expire before using it', async () => {
    const l = await lapi({ tokenTtlMs: 30_000 });
    const { cs } = bridge(l);
    await cs.enqueuer.publish(alert(1));
    await until(() => l.alerts.length === 1, 10_000, 'first alert');
    await cs.enqueuer.publish(alert(2));
    await until(() => l.alerts.length === 2, 10_000, 'second alert');
    // The token had less than a minute left each time: a login precedes every push, and no 401 was needed.
    expect(paths(l)).toEqual(['POST /v1/watchers/login', 'POST /v1/alerts', 'POST /v1/watchers/login', 'POST /v1/alerts']);
  });

  it('retries on 5xx and when the LAPI is not there at all, then delivers', async () => {
    const l = await lapi();
    l.failNext(503, 2, '/v1/alerts');
    const { cs, outbox } = bridge(l);
    await cs.enqueuer.publish(alert(1));
    await until(() => l.alerts.length === 1, 10_000, 'delivered after two 503');
    expect(paths(l).filter((p) => p === 'POST /v1/alerts')).toHaveLength(3);
    expect(cs.metrics.retried).toBe(2);
    await until(async () => (await outbox.status(CROWDSEC_BOX)).pending === 0, 5_000, 'empty queue');

    // A LAPI that is down: connection refused, retried, nothing lost.
    const gone = await lapi();
    const url = gone.url;
    await gone.close();
    const down = bridge({ ...gone, url } as FakeLapi);
    await down.cs.enqueuer.publish(alert(2));
    await until(() => down.cs.metrics.retried >= 2, 10_000, 'retries against a closed port');
    expect((await down.outbox.status(CROWDSEC_BOX)).pending).toBe(1);
    expect((await down.outbox.status(CROWDSEC_BOX)).last_error).toMatch(/ECONNREFUSED/);
  });

  it('drops what the LAPI refuses for good, trying a refused batch alert by alert', async () => {
    const l = await lapi();
    const { cs, outbox } = bridge(l, { batch_size: 10 }, false);
    for (const i of [1, 2]) await cs.enqueuer.publish(alert(i));
    // The batch is refused once; each alert alone is accepted.
    l.failNext(400, 1, '/v1/alerts');
    cs.dispatcher.start();
    await until(() => l.alerts.length === 2, 10_000, 'both alerts, one by one');
    expect(paths(l)).toEqual(['POST /v1/watchers/login', 'POST /v1/alerts', 'POST /v1/alerts', 'POST /v1/alerts']);
    expect(cs.metrics.dropped.refused).toBe(0);
    // Refused every time: dropped and counted, not retried.
    l.failNext(422, 5, '/v1/alerts');
    await cs.enqueuer.publish(alert(3));
    await until(() => cs.metrics.dropped.refused === 1, 10_000, 'refusal counted');
    expect((await outbox.status(CROWDSEC_BOX)).dead).toBe(1);
    expect(cs.metrics.retried).toBe(0);
  });

  it('a refused login is retried and said once, naming the options, never the password', async () => {
    const l = await lapi({ password: 'another-password-altogether' });
    const { cs, outbox, logs } = bridge(l);
    await cs.enqueuer.publish(alert(1));
    await until(() => cs.metrics.logins.refused >= 2, 10_000, 'two refused logins');
    expect(l.alerts).toHaveLength(0);
    expect((await outbox.status(CROWDSEC_BOX)).pending).toBe(1);
    const warnings = logs.filter((x) => x.includes('"level":40'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('detector.crowdsec.machine_id');
    expect(warnings[0]).toContain('LOWSLOW_DETECTOR_CROWDSEC_PASSWORD');
  });

  it('queues only open alerts at or above min_severity, and drops beyond queue_max with one warning', async () => {
    const l = await lapi();
    const { cs, outbox, logs } = bridge(l, { queue_max: 2 }, false);
    await cs.enqueuer.publish(alert(1, { severity: 'low' }));
    await cs.enqueuer.publish(alert(2, { status: 'acknowledged' }));
    await cs.enqueuer.publish(alert(3, { status: 'resolved' }));
    expect((await outbox.status(CROWDSEC_BOX)).pending).toBe(0);
    for (const i of [4, 5, 6, 7]) await cs.enqueuer.publish(alert(i));
    expect((await outbox.status(CROWDSEC_BOX)).pending).toBe(2);
    expect(cs.metrics.queued).toBe(2);
    expect(cs.metrics.dropped.queue_full).toBe(2);
    expect(logs.filter((x) => x.includes('queue is full'))).toHaveLength(1);
    const text = renderPrometheus(await cs.families());
    expect(text).toContain('lowslow_detector_crowdsec_alerts_dropped_total{reason="queue_full"} 2');
    expect(text).toContain('lowslow_detector_crowdsec_alerts_queued_total 2');
    expect(text).toContain('lowslow_detector_crowdsec_pending 2');
  });

  it('publishing returns while the LAPI has not answered', async () => {
    const l = await lapi();
    l.hold('/v1/alerts');
    const { cs } = bridge(l);
    await cs.enqueuer.publish(alert(1));
    await until(() => l.requests.some((r) => r.path === '/v1/alerts'), 10_000, 'the push under way');
    // The push is still unanswered, and further alerts queue all the same.
    await cs.enqueuer.publish(alert(2));
    expect(l.alerts).toHaveLength(0);
    expect(cs.metrics.queued).toBe(2);
    l.release();
    await until(() => l.alerts.length === 2, 10_000, 'both pushed once released');
  });

  it('drops an alert whose decision would have ended before it reached CrowdSec', async () => {
    const l = await lapi();
    const { cs, outbox } = bridge(l, { decision_duration: '1m' }, false);
    const old = alert(1);
    await outbox.enqueue(CROWDSEC_BOX, 'stale-1', old, Date.now() - 120_000);
    cs.dispatcher.start();
    await until(() => cs.metrics.dropped.expired === 1, 10_000, 'expired counted');
    expect(l.requests.filter((r) => r.path === '/v1/alerts')).toHaveLength(0);
  });

  it("a false-positive verdict lifts the key's decisions of the lowslow scenario", async () => {
    const l = await lapi();
    const { cs } = bridge(l);
    const a = alert(1);
    await cs.enqueuer.publish(a);
    await until(() => l.decisions.length === 1, 10_000, 'the decision');
    await cs.enqueuer.publish({ ...a, status: 'false_positive', updated_at: a.updated_at + 1, feedback: { verdict: 'false_positive', note: '', at: a.updated_at + 1 } });
    await until(() => l.decisions.length === 0, 10_000, 'decision deleted');
    const del = l.requests.find((r) => r.method === 'DELETE');
    expect(Object.fromEntries(del?.query ?? [])).toEqual({ scope: 'apikey', value: a.key_id, scenario: 'lowslow/api-key-abuse' });
    await until(() => cs.metrics.decisionsDeleted === 1, 5_000, 'counter');
  });

  it('simulated, decision type and duration come from the config', async () => {
    const l = await lapi();
    const { cs } = bridge(l, { simulated: true, decision_type: 'captcha', decision_duration: '30m' });
    await cs.enqueuer.publish(alert(1));
    await until(() => l.alerts.length === 1, 10_000, 'alert');
    expect(l.alerts[0]).toMatchObject({ simulated: true });
    expect(l.decisions[0]).toMatchObject({ type: 'captcha', duration: '30m', simulated: true });
    expect(l.schemaErrors).toEqual([]);
  });

  it('the password and the token are in no log line, metric or stored error, even when the LAPI echoes them', async () => {
    const l = await lapi();
    const { cs, outbox, logs } = bridge(l);
    await cs.enqueuer.publish(alert(1));
    await until(() => l.alerts.length === 1, 10_000, 'first alert');
    const token = l.tokens[0] as string;
    l.failNext(500, 3, '/v1/alerts', `db error for ${MACHINE}:${PASSWORD} token ${token}`);
    await cs.enqueuer.publish(alert(2));
    await until(() => l.alerts.length === 2, 10_000, 'second alert after the echoing 500s');
    const status = await outbox.status(CROWDSEC_BOX);
    expect(status.last_error).toContain('HTTP 500');
    const everything = [...logs, renderPrometheus(await cs.families()), JSON.stringify(status), JSON.stringify(cs.options.url)].join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(token);
  });
});
