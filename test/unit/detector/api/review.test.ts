import { describe, expect, it } from 'vitest';
import { validateAlert, type Alert } from '../../../../contracts/index.js';
import { MemoryAlertStore } from '../../../../detector/alerts/memory-alert-store.js';
import { CallbackAlertPublisher } from '../../../../detector/alerts/publish.js';
import { AlertReview } from '../../../../detector/alerts/review.js';
import { MemorySuppressions } from '../../../../detector/alerts/suppressions.js';
import { buildApi } from '../../../../detector/api/app.js';
import { DetectorMetrics } from '../../../../detector/metrics.js';
import { makeAlert } from '../../../support/alerts.js';

async function setup(opts: { failPublish?: () => boolean } = {}) {
  const alerts = new MemoryAlertStore();
  for (let i = 0; i < 4; i++) await alerts.put(makeAlert(i));
  const published: Alert[] = [];
  const publisher = new CallbackAlertPublisher((a) => {
    if (opts.failPublish?.()) throw new Error('nats: timeout');
    published.push(structuredClone(a));
  });
  const suppressions = new MemorySuppressions();
  const metrics = new DetectorMetrics();
  const review = new AlertReview({ store: alerts, publisher, suppressions, suppressMs: 3_600_000, metrics, now: () => 1_800_000_000_000 });
  const app = buildApi({ alerts, review });
  const post = async (id: string, action: string, payload?: unknown) => {
    const body = payload === undefined ? {} : { payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } };
    const r = await app.inject({ method: 'POST', url: `/v1/alerts/${id}/${action}`, ...body });
    return { status: r.statusCode, body: r.json() as Alert & { message: string } };
  };
  return { alerts, published, suppressions, metrics, post };
}

describe('alert review API', () => {
  const a = makeAlert(0);

  it('acknowledges an open alert, publishes the change once, and answers a repeat without republishing', async () => {
    const { post, published, alerts, metrics } = await setup();
    const r = await post(a.id, 'ack');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: a.id, status: 'acknowledged', updated_at: 1_800_000_000_000 });
    expect(validateAlert(r.body)).toBe(true);
    expect(published.map((p) => p.status)).toEqual(['acknowledged']);
    expect((await alerts.get(a.id))?.status).toBe('acknowledged');
    expect((await post(a.id, 'ack')).status).toBe(200);
    expect(published).toHaveLength(1);
    expect(metrics.statusChanges).toEqual({ acknowledged: 1 });
  });

  it('resolves, and refuses to acknowledge a resolved alert with 409', async () => {
    const { post, published } = await setup();
    expect((await post(a.id, 'resolve')).body.status).toBe('resolved');
    const again = await post(a.id, 'ack');
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('is resolved');
    expect(published.map((p) => p.status)).toEqual(['resolved']);
  });

  it('records a false-positive verdict with its note, publishes it and suppresses the key and kind', async () => {
    const { post, published, suppressions } = await setup();
    const r = await post(a.id, 'feedback', { verdict: 'false_positive', note: 'nightly export job' });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('false_positive');
    expect(r.body.feedback).toEqual({ verdict: 'false_positive', note: 'nightly export job', at: 1_800_000_000_000 });
    expect(validateAlert(r.body)).toBe(true);
    expect(published.at(-1)?.status).toBe('false_positive');
    expect(await suppressions.isSuppressed(a.key_id, a.kind)).toBe(true);
    expect(await suppressions.isSuppressed(makeAlert(1).key_id, a.kind)).toBe(false);
    expect((await post(a.id, 'resolve')).status).toBe(409);
  });

  it('a true-positive verdict acknowledges the alert and lifts a suppression given by mistake', async () => {
    const { post, suppressions } = await setup();
    await post(a.id, 'feedback', { verdict: 'false_positive' });
    const r = await post(a.id, 'feedback', { verdict: 'true_positive', note: 'no, it was a scraper' });
    expect(r.body).toMatchObject({ status: 'acknowledged', feedback: { verdict: 'true_positive', note: 'no, it was a scraper' } });
    expect(await suppressions.isSuppressed(a.key_id, a.kind)).toBe(false);
  });

  it('answers 503 and changes nothing when the change cannot be published', async () => {
    let fail = true;
    const { post, alerts } = await setup({ failPublish: () => fail });
    const r = await post(a.id, 'ack');
    expect(r.status).toBe(503);
    expect(r.body.message).toContain('nothing changed');
    expect(r.body.message).not.toContain('nats: timeout');
    expect((await alerts.get(a.id))?.status).toBe('open');
    fail = false;
    expect((await post(a.id, 'ack')).body.status).toBe('acknowledged');
  });

  it.each([
    ['feedback', { verdict: 'maybe' }, 'verdict'],
    ['feedback', null, 'body'],
    ['feedback', {}, 'verdict'],
    ['feedback', { verdict: 'false_positive', note: 5 }, 'note'],
    ['feedback', { verdict: 'false_positive', note: 'x'.repeat(2001) }, 'note'],
    ['feedback', { verdict: 'false_positive', status: 'resolved' }, 'status'],
    ['feedback', { verdict: ['false_positive'] }, 'verdict'],
    ['feedback', 'false_positive', 'body'],
    ['ack', { note: 'x' }, 'note'],
    ['resolve', [1], 'body'],
  ])('POST %s %.60j is a 400 naming %s', async (action, payload, field) => {
    const { post, published } = await setup();
    const r = await post(a.id, action, payload);
    expect(r.status).toBe(400);
    expect(r.body.message).toContain(field);
    expect(published).toHaveLength(0);
  });

  it('answers 404 for an unknown alert and 400 for a malformed id', async () => {
    const { post } = await setup();
    expect((await post('0'.repeat(24), 'ack')).status).toBe(404);
    expect((await post('0'.repeat(24), 'feedback', { verdict: 'true_positive' })).status).toBe(404);
    const bad = await post('../../etc', 'ack');
    expect(bad.status).toBe(404);
    const malformed = await post('ABC', 'ack');
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toContain('id');
  });
});
