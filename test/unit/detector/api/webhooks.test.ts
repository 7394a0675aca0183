import { describe, expect, it } from 'vitest';
import { MemoryAlertStore } from '../../../../detector/alerts/memory-alert-store.js';
import { buildApi } from '../../../../detector/api/app.js';
import { MemoryOutbox } from '../../../../detector/webhooks/memory-outbox.js';
import { WebhookTargets } from '../../../../detector/webhooks/registry.js';
import { MemoryTargetStore } from '../../../../detector/webhooks/target-store.js';
import type { WebhookTarget } from '../../../../detector/webhooks/target.js';
import { makeAlert } from '../../../support/alerts.js';

const CANARY = 'canary-webhook-secret-c0ffee42';
const SLACK_CANARY = 'T000CANARY/B000CANARY/XXXXcanaryslackpath';
const ADMIN = 'admin-token-for-webhook-tests';
const READ = 'read-token-for-webhook-tests';

function setup() {
  const fromFile: WebhookTarget = { name: 'siem', url: 'https://93.184.216.34/services/collector/event', format: 'splunk', secret: CANARY, min_severity: 'high', gateways: [], origin: 'config' };
  const outbox = new MemoryOutbox();
  const targets = new WebhookTargets([fromFile], new MemoryTargetStore(), outbox, {
    allowPrivate: false,
    resolve: async (host) => [{ address: host === 'intranet.example' ? '10.1.2.3' : '93.184.216.34', family: 4 }],
    now: () => 1_800_000_000_000,
  });
  const app = buildApi({ alerts: new MemoryAlertStore(), webhooks: { targets, outbox }, tokens: { read: [READ], admin: [ADMIN] } });
  const req = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, token = ADMIN) => {
    const r = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(payload !== undefined ? { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) } : {}),
    });
    return { status: r.statusCode, body: r.body === '' ? null : r.json(), text: r.body };
  };
  return { req, outbox, targets };
}

describe('webhooks API', () => {
  it('adds a target and shows it with a fingerprint, never the secret', async () => {
    const { req } = setup();
    const created = await req('POST', '/v1/webhooks', { name: 'soc', url: 'https://93.184.216.34/hook?token=abc', secret: CANARY, min_severity: 'medium', gateways: ['nginx'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'soc',
      format: 'generic',
      url: 'https://93.184.216.34/hook?…',
      min_severity: 'medium',
      gateways: ['nginx'],
      origin: 'api',
      created_at: 1_800_000_000_000,
      secret_fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{8}$/),
      delivery: { pending: 0, dead: 0, delivered: 0 },
    });
    const list = await req('GET', '/v1/webhooks', undefined, READ);
    expect(list.status).toBe(200);
    expect(list.body.webhooks.map((w: { name: string; origin: string }) => [w.name, w.origin])).toEqual([['siem', 'config'], ['soc', 'api']]);
    for (const t of [created.text, list.text]) {
      expect(t).not.toContain(CANARY);
      expect(t).not.toContain('abc');
    }
  });

  it('masks a Slack URL, whose path is the secret', async () => {
    const { req } = setup();
    const created = await req('POST', '/v1/webhooks', { name: 'chat', url: `https://hooks.slack.example/services/${SLACK_CANARY}`, format: 'slack' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: 'https://hooks.slack.example/…', secret_fingerprint: null });
    const one = await req('GET', '/v1/webhooks/chat');
    expect(one.text).not.toContain('CANARY');
    expect(one.text).not.toContain('canary');
  });

  it('shows one target with its delivery status and dead letters', async () => {
    const { req, outbox } = setup();
    await outbox.enqueue('siem', 'd1', makeAlert(3), 1);
    await outbox.enqueue('siem', 'd2', makeAlert(7), 2);
    await outbox.claim('siem', 10, 20, 10);
    await outbox.deadLetter('siem', 'd1', 'HTTP 403', 30);
    const r = await req('GET', '/v1/webhooks/siem', undefined, READ);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      name: 'siem',
      delivery: { pending: 1, dead: 1, last_error: 'HTTP 403', last_failure_at: 30 },
      dead_letters: [{ id: 'd1', alert_id: makeAlert(3).id, attempts: 1, last_error: 'HTTP 403', dead_at: 30 }],
    });
    expect(r.text).not.toContain(CANARY);
    expect((await req('GET', '/v1/webhooks/nope')).status).toBe(404);
  });

  it('deletes API targets (204, then 404) and refuses to delete config targets (409)', async () => {
    const { req } = setup();
    await req('POST', '/v1/webhooks', { name: 'tmp', url: 'https://93.184.216.34/', secret: CANARY });
    expect((await req('DELETE', '/v1/webhooks/tmp')).status).toBe(204);
    expect((await req('DELETE', '/v1/webhooks/tmp')).status).toBe(404);
    const ro = await req('DELETE', '/v1/webhooks/siem');
    expect(ro.status).toBe(409);
    expect(ro.body.message).toContain('config file');
  });

  it('refuses duplicates with 409', async () => {
    const { req } = setup();
    const body = { name: 'soc', url: 'https://93.184.216.34/', secret: CANARY };
    expect((await req('POST', '/v1/webhooks', body)).status).toBe(201);
    expect((await req('POST', '/v1/webhooks', body)).status).toBe(409);
    expect((await req('POST', '/v1/webhooks', { ...body, name: 'siem' })).status).toBe(409);
  });

  it('needs an admin token to change targets', async () => {
    const { req } = setup();
    expect((await req('POST', '/v1/webhooks', { name: 'x', url: 'https://93.184.216.34/', secret: CANARY }, READ)).status).toBe(403);
    expect((await req('DELETE', '/v1/webhooks/siem', undefined, READ)).status).toBe(403);
    expect((await req('GET', '/v1/webhooks', undefined, 'not-a-token-at-all')).status).toBe(401);
  });

  it.each([
    [{ name: 'a', url: 'http://127.0.0.1:8080/', secret: CANARY }, 'url: 127.0.0.1 is a loopback'],
    [{ name: 'a', url: 'http://[::1]/', secret: CANARY }, 'url: ::1'],
    [{ name: 'a', url: 'http://[::ffff:169.254.169.254]/', secret: CANARY }, 'private'],
    [{ name: 'a', url: 'http://169.254.169.254/latest/meta-data', secret: CANARY }, '169.254.169.254'],
    [{ name: 'a', url: 'http://192.168.1.10/', secret: CANARY }, '192.168.1.10'],
    [{ name: 'a', url: 'http://localhost:9200/', secret: CANARY }, 'localhost'],
    [{ name: 'a', url: 'https://intranet.example/hook', secret: CANARY }, 'resolves to 10.1.2.3'],
    [{ name: 'a', url: 'gopher://93.184.216.34/', secret: CANARY }, 'http or https'],
    [{ name: 'a', url: 'https://user:pw@93.184.216.34/', secret: CANARY }, 'credentials'],
    [{ name: 'a', url: 'https://93.184.216.34/' }, 'secret'],
    [{ name: 'a', url: 'https://93.184.216.34/', format: 'splunk' }, 'secret'],
    [{ name: 'a', url: 'https://93.184.216.34/', secret: 'short' }, 'secret'],
    [{ name: 'a', url: 'https://93.184.216.34/', secret: `${CANARY}\r\nX-Injected: 1` }, 'secret'],
    [{ name: 'a', url: 'https://93.184.216.34/', secret: CANARY, secret_env: 'LOWSLOW_KEY_SECRET' }, 'secret_env'],
    [{ name: 'Bad Name', url: 'https://93.184.216.34/', secret: CANARY }, 'name'],
    [{ name: 'a', url: 'https://93.184.216.34/', secret: CANARY, format: 'teams' }, 'format'],
    [{ name: 'a', url: 'https://93.184.216.34/', secret: CANARY, min_severity: 'urgent' }, 'min_severity'],
    [{ name: 'a', url: 'https://93.184.216.34/', secret: CANARY, gateways: 'nginx' }, 'gateways'],
    [{ name: 'a', url: 'https://93.184.216.34/', secret: CANARY, gateways: ['a.b'] }, 'gateways'],
    [{ name: 'a', url: 12, secret: CANARY }, 'url'],
    [{ url: 'https://93.184.216.34/', secret: CANARY }, 'name'],
    [{ name: 'a', url: 'https://93.184.216.34/', secret: CANARY, enabled: true }, 'enabled'],
    [[{ name: 'a' }], 'body'],
  ])('POST %.80j is a 400 naming %s, without echoing the secret', async (body, text) => {
    const { req, targets } = setup();
    const r = await req('POST', '/v1/webhooks', body);
    expect(r.status).toBe(400);
    expect(r.body.message).toContain(text);
    expect(r.text).not.toContain(CANARY);
    expect((await targets.list()).map((t) => t.name)).toEqual(['siem']);
  });

  it('answers a huge body with 413 and a bad name in the path with 400', async () => {
    const { req } = setup();
    const huge = await req('POST', '/v1/webhooks', { name: 'a', url: `https://93.184.216.34/${'x'.repeat(80_000)}`, secret: CANARY });
    expect(huge.status).toBe(413);
    expect(huge.body.message).toContain('too large');
    expect((await req('GET', '/v1/webhooks/..%2F..')).status).toBe(400);
    expect((await req('DELETE', '/v1/webhooks/A')).status).toBe(400);
  });
});
