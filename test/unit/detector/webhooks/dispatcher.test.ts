import { hostname } from 'node:os';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { validateAlert, type Alert } from '../../../../contracts/index.js';
import type { DispatcherOptions } from '../../../../detector/webhooks/config.js';
import { WebhookDispatcher } from '../../../../detector/webhooks/dispatcher.js';
import { WebhookEnqueuer } from '../../../../detector/webhooks/enqueue.js';
import { WebhookMetrics } from '../../../../detector/webhooks/metrics.js';
import { MemoryOutbox } from '../../../../detector/webhooks/memory-outbox.js';
import { deliveryId } from '../../../../detector/webhooks/outbox.js';
import { WebhookTargets } from '../../../../detector/webhooks/registry.js';
import { verifySignature } from '../../../../detector/webhooks/sign.js';
import { MemoryTargetStore } from '../../../../detector/webhooks/target-store.js';
import type { WebhookTarget } from '../../../../detector/webhooks/target.js';
import { makeAlert } from '../../../support/alerts.js';
import { startReceiver, until, type Answer, type Receiver } from '../../../support/webhook-receiver.js';

const SECRET = 'canary-dispatch-secret-a41f7e';
const OPTIONS: DispatcherOptions = { timeoutMs: 2_000, retryInitialMs: 20, retryMaxMs: 200, deadLetterAfterMs: 60_000, concurrency: 4, pollMs: 20, allowPrivate: true };
const silent = pino({ level: 'silent' });

const open: Array<{ close(): Promise<void> }> = [];
const stopping: WebhookDispatcher[] = [];
afterEach(async () => {
  await Promise.all(stopping.splice(0).map((d) => d.stop()));
  await Promise.all(open.splice(0).map((r) => r.close()));
});

async function receiver(answer?: (r: { body: string }, n: number) => Answer): Promise<Receiver> {
  const r = await startReceiver(answer);
  open.push(r);
  return r;
}

function target(name: string, url: string, over: Partial<WebhookTarget> = {}): WebhookTarget {
  return { name, url, format: 'generic', secret: SECRET, min_severity: 'low', gateways: [], origin: 'config', ...over };
}

function setup(targets: WebhookTarget[], options: Partial<DispatcherOptions> = {}, outbox = new MemoryOutbox()) {
  const registry = new WebhookTargets(targets, new MemoryTargetStore(), outbox, { allowPrivate: true });
  const metrics = new WebhookMetrics();
  const dispatcher = new WebhookDispatcher({ targets: registry, outbox, options: { ...OPTIONS, ...options }, metrics, log: silent });
  stopping.push(dispatcher);
  const enqueuer = new WebhookEnqueuer(registry, outbox, { onQueued: () => dispatcher.wake() });
  return { outbox, registry, metrics, dispatcher, enqueuer };
}

describe('webhook dispatcher', () => {
  it('delivers a signed Alert v1 with its delivery id, once', async () => {
    const good = await receiver();
    const { dispatcher, enqueuer, outbox, metrics } = setup([target('good', good.url)]);
    dispatcher.start();
    const alert = makeAlert(2);
    await enqueuer.publish(alert);
    await enqueuer.publish(alert); // a republish of the same revision (after a crash) is not queued twice
    await until(() => good.accepted.length === 1, 5_000, 'delivery');
    const r = good.received[0];
    expect(verifySignature(SECRET, r?.headers['x-lowslow-signature'] as string, r?.body ?? '', Date.now())).toBe(true);
    expect(r?.headers['x-lowslow-delivery']).toBe(deliveryId(alert));
    expect(validateAlert(JSON.parse(r?.body ?? ''))).toBe(true);
    await until(async () => (await outbox.status('good')).delivered === 1, 2_000, 'status');
    expect(await outbox.status('good')).toMatchObject({ pending: 0, dead: 0, delivered: 1, failed_attempts: 0 });
    expect(metrics.get('good', 'delivered')).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(good.received).toHaveLength(1);
  });

  it('retries a failing receiver with growing delays until it accepts', async () => {
    const flaky = await receiver((_r, n) => ({ status: n <= 3 ? 503 : 200 }));
    const { dispatcher, enqueuer, outbox, metrics } = setup([target('flaky', flaky.url)], { retryInitialMs: 40, retryMaxMs: 1_000 });
    dispatcher.start();
    await enqueuer.publish(makeAlert(1));
    await until(() => flaky.accepted.length === 1, 10_000, 'delivery after retries');
    expect(flaky.received).toHaveLength(4);
    const gaps = flaky.received.slice(1).map((r, i) => r.at - (flaky.received[i] as { at: number }).at);
    // Equal jitter: attempt n waits between half and all of 40 ms · 2^(n-1).
    expect(gaps[0]).toBeGreaterThanOrEqual(15);
    expect(gaps[2]).toBeGreaterThanOrEqual(75);
    expect(new Set(flaky.received.map((r) => r.headers['x-lowslow-delivery'])).size).toBe(1);
    await until(async () => (await outbox.status('flaky')).delivered === 1, 2_000, 'status');
    expect(await outbox.status('flaky')).toMatchObject({ delivered: 1, failed_attempts: 3, last_error: 'HTTP 503' });
    expect(metrics.get('flaky', 'retried')).toBe(3);
  });

  it('backs off exponentially with jitter, capped', () => {
    const d = new WebhookDispatcher({ targets: {} as WebhookTargets, outbox: new MemoryOutbox(), options: { ...OPTIONS, retryInitialMs: 1000, retryMaxMs: 8000 }, metrics: new WebhookMetrics(), log: silent, random: () => 1 });
    expect([1, 2, 3, 4, 5, 9].map((n) => d.backoff(n))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    const low = new WebhookDispatcher({ targets: {} as WebhookTargets, outbox: new MemoryOutbox(), options: { ...OPTIONS, retryInitialMs: 1000, retryMaxMs: 8000 }, metrics: new WebhookMetrics(), log: silent, random: () => 0 });
    expect(low.backoff(3)).toBe(2000);
  });

  it('dead-letters what a receiver refuses for good, and what keeps failing past dead_letter_after', async () => {
    const refusing = await receiver(() => ({ status: 401 }));
    const down = await receiver(() => ({ status: 500 }));
    const { dispatcher, enqueuer, outbox, metrics } = setup([target('refusing', refusing.url), target('down', down.url)], { deadLetterAfterMs: 300 });
    dispatcher.start();
    await enqueuer.publish(makeAlert(1));
    await until(async () => (await outbox.status('refusing')).dead === 1 && (await outbox.status('down')).dead === 1, 5_000, 'dead letters');
    expect(refusing.received).toHaveLength(1);
    expect(down.received.length).toBeGreaterThan(1);
    const [dead] = await outbox.deadLetters('refusing', 10);
    expect(dead).toMatchObject({ alert_id: makeAlert(1).id, attempts: 1, last_error: 'HTTP 401' });
    expect(metrics.get('down', 'dead_lettered')).toBe(1);
    expect(await outbox.status('down')).toMatchObject({ pending: 0, dead: 1 });
  });

  it('never follows a redirect', async () => {
    const elsewhere = await receiver();
    const redirecting = await receiver(() => ({ status: 302, headers: { location: elsewhere.url } }));
    const { dispatcher, enqueuer, outbox } = setup([target('redir', redirecting.url)]);
    dispatcher.start();
    await enqueuer.publish(makeAlert(1));
    await until(async () => (await outbox.status('redir')).dead === 1, 5_000, 'dead letter');
    expect((await outbox.deadLetters('redir', 1))[0]?.last_error).toContain('redirects are not followed');
    expect(elsewhere.received).toHaveLength(0);
  });

  it('checks the resolved address at delivery time: a name that resolves to loopback is refused', async () => {
    const local = await receiver();
    // This machine's name resolves to a loopback address in /etc/hosts; the URL itself passes the literal check.
    const url = `http://${hostname()}:${local.port}/hook`;
    const { dispatcher, enqueuer, outbox } = setup([target('rebind', url)], { allowPrivate: false });
    dispatcher.start();
    await enqueuer.publish(makeAlert(1));
    await until(async () => (await outbox.status('rebind')).dead === 1, 5_000, 'dead letter');
    expect((await outbox.deadLetters('rebind', 1))[0]?.last_error).toMatch(/resolves to .*private address/);
    expect(local.received).toHaveLength(0);
  });

  it('a slow receiver holds up only itself', async () => {
    const slow = await receiver(() => ({ status: 200, delayMs: 1_500 }));
    const fast = await receiver();
    const { dispatcher, enqueuer } = setup([target('slow', slow.url), target('fast', fast.url)]);
    dispatcher.start();
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) await enqueuer.publish(makeAlert(i));
    await until(() => fast.accepted.length === 3, 5_000, 'fast deliveries');
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(slow.accepted).toHaveLength(0);
    await until(() => slow.accepted.length === 3, 5_000, 'slow deliveries');
    // Three at once (concurrency 4), not one after another.
    expect(Date.now() - t0).toBeLessThan(2_800);
  });

  it('times out a receiver that does not answer, and retries it', async () => {
    const hanging = await receiver((_r, n) => ({ status: 200, delayMs: n === 1 ? 5_000 : 0 }));
    const { dispatcher, enqueuer, outbox } = setup([target('hang', hanging.url)], { timeoutMs: 200 });
    dispatcher.start();
    await enqueuer.publish(makeAlert(1));
    await until(() => hanging.accepted.length === 1, 5_000, 'second attempt');
    expect((await outbox.status('hang')).last_error).toBe('no answer within 200 ms');
  });

  it('stop() hands attempts in flight back, and the next dispatcher sends them at once', async () => {
    let answerSlowly = true;
    const r = await receiver(() => ({ status: 200, delayMs: answerSlowly ? 3_000 : 0 }));
    const outbox = new MemoryOutbox();
    const first = setup([target('r', r.url)], {}, outbox);
    first.dispatcher.start();
    await first.enqueuer.publish(makeAlert(1));
    await until(() => r.received.length === 1, 5_000, 'first attempt');
    await first.dispatcher.stop();
    expect(await outbox.status('r')).toMatchObject({ pending: 1, failed_attempts: 0 });
    answerSlowly = false;
    const second = setup([target('r', r.url)], {}, outbox);
    second.dispatcher.start();
    await until(() => r.accepted.length === 1, 2_000, 'delivery by the second dispatcher');
    expect(r.received.map((x) => (JSON.parse(x.body) as Alert).id)).toEqual([makeAlert(1).id, makeAlert(1).id]);
  });

  it('routes by minimum severity and gateway', async () => {
    const critical = await receiver();
    const envoy = await receiver();
    const { dispatcher, enqueuer } = setup([target('critical', critical.url, { min_severity: 'critical' }), target('envoy', envoy.url, { gateways: ['envoy'] })]);
    dispatcher.start();
    for (let i = 0; i < 8; i++) await enqueuer.publish(makeAlert(i));
    const want = (f: (a: Alert) => boolean) => Array.from({ length: 8 }, (_, i) => makeAlert(i)).filter(f).length;
    await until(() => critical.accepted.length === want((a) => a.severity === 'critical') && envoy.accepted.length === want((a) => a.source.gateway === 'envoy'), 5_000, 'routed deliveries');
    for (const x of critical.accepted) expect((JSON.parse(x.body) as Alert).severity).toBe('critical');
    for (const x of envoy.accepted) expect((JSON.parse(x.body) as Alert).source.gateway).toBe('envoy');
  });
});
