import { describe, expect, it } from 'vitest';
import { validateConfig, type Config } from '../../../../contracts/index.js';
import { dispatcherOptions, targetsFromConfig } from '../../../../detector/webhooks/config.js';
import { WebhookError } from '../../../../detector/webhooks/errors.js';
import { MemoryOutbox } from '../../../../detector/webhooks/memory-outbox.js';
import { WebhookTargets } from '../../../../detector/webhooks/registry.js';
import { MemoryTargetStore } from '../../../../detector/webhooks/target-store.js';
import { makeAlert } from '../../../support/alerts.js';

const CANARY = 'canary-config-secret-51d0e8';

function webhooks(over: Record<string, unknown>): Config['webhooks'] {
  const c = { webhooks: over };
  if (!validateConfig(c)) throw new Error(JSON.stringify(validateConfig.errors));
  return (c as unknown as Config).webhooks;
}

function fails(fn: () => unknown): WebhookError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WebhookError);
    return err as WebhookError;
  }
  throw new Error('did not throw');
}

describe('webhook config', () => {
  it('fills defaults and converts the dispatcher options to ms', () => {
    const w = webhooks({ targets: [{ name: 'siem', url: 'https://93.184.216.34/hook', secret: CANARY }] });
    expect(w.targets[0]).toMatchObject({ format: 'generic', min_severity: 'low', gateways: [] });
    expect(dispatcherOptions(w)).toEqual({ timeoutMs: 10_000, retryInitialMs: 1000, retryMaxMs: 300_000, deadLetterAfterMs: 86_400_000, concurrency: 4, pollMs: 500, allowPrivate: false });
  });

  it('rejects unknown fields and bad formats in the schema', () => {
    expect(validateConfig({ webhooks: { targets: [{ name: 'a', url: 'https://x.example/', colour: 'red' }] } })).toBe(false);
    expect(validateConfig({ webhooks: { targets: [{ name: 'a', url: 'https://x.example/', format: 'teams' }] } })).toBe(false);
    expect(validateConfig({ webhooks: { targets: [{ name: 'A B', url: 'https://x.example/' }] } })).toBe(false);
    expect(validateConfig({ webhooks: { retry_initial_seconds: 0 } })).toBe(false);
  });

  it('takes the secret from secret_env', () => {
    const w = webhooks({ targets: [{ name: 'hec', url: 'https://93.184.216.34/services/collector/event', format: 'splunk', secret_env: 'HEC_TOKEN' }] });
    expect(targetsFromConfig(w, { HEC_TOKEN: CANARY })[0]).toMatchObject({ name: 'hec', format: 'splunk', secret: CANARY, origin: 'config' });
    const e = fails(() => targetsFromConfig(w, {}));
    expect(e.code).toBe('LOWSLOW_WEBHOOK_CONFIG');
    expect(e.message).toContain('webhooks.targets[0].secret_env: HEC_TOKEN is not set');
  });

  it('names the field of each problem, never echoing a secret', () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ targets: [{ name: 'a', url: 'https://93.184.216.34/' }] }, 'LOWSLOW_WEBHOOK_CONFIG', 'webhooks.targets[0].secret: a generic target signs'],
      [{ targets: [{ name: 'a', url: 'https://93.184.216.34/', format: 'splunk' }] }, 'LOWSLOW_WEBHOOK_CONFIG', 'HEC token'],
      [{ targets: [{ name: 'a', url: 'https://93.184.216.34/', secret: CANARY, secret_env: 'X' }] }, 'LOWSLOW_WEBHOOK_CONFIG', 'not both'],
      [{ targets: [{ name: 'a', url: 'https://93.184.216.34/', secret: CANARY }, { name: 'a', url: 'https://93.184.216.34/', secret: CANARY }] }, 'LOWSLOW_WEBHOOK_CONFIG', 'targets[1].name: a is used twice'],
      [{ targets: [{ name: 'a', url: 'http://127.0.0.1:9/', secret: CANARY }] }, 'LOWSLOW_WEBHOOK_URL', 'webhooks.targets[0].url: 127.0.0.1 is a loopback'],
      [{ targets: [{ name: 'a', url: 'http://169.254.169.254/', format: 'slack' }] }, 'LOWSLOW_WEBHOOK_URL', 'allow_private'],
    ];
    for (const [over, code, text] of cases) {
      const e = fails(() => targetsFromConfig(webhooks(over), {}));
      expect(e.code).toBe(code);
      expect(e.message).toContain(text);
      expect(e.message).not.toContain(CANARY);
    }
    expect(targetsFromConfig(webhooks({ allow_private: true, targets: [{ name: 'a', url: 'http://127.0.0.1:9/', format: 'slack' }] }))).toHaveLength(1);
  });
});

describe('webhook target registry', () => {
  const config = targetsFromConfig(webhooks({ targets: [{ name: 'from-file', url: 'https://93.184.216.34/', secret: CANARY }] }));
  const publicDns = async () => [{ address: '93.184.216.34', family: 4 }];

  it('adds API targets beside config targets, refusing taken names', async () => {
    const reg = new WebhookTargets(config, new MemoryTargetStore(), new MemoryOutbox(), { allowPrivate: false, resolve: publicDns, now: () => 42 });
    const t = await reg.add({ name: 'chat', url: 'https://hooks.slack.example/services/T/B/X', format: 'slack', min_severity: 'high', gateways: [] });
    expect(t).toMatchObject({ origin: 'api', created_at: 42 });
    expect((await reg.list()).map((x) => x.name)).toEqual(['from-file', 'chat']);
    await expect(reg.add({ name: 'chat', url: 'https://93.184.216.34/', format: 'slack', min_severity: 'low', gateways: [] })).rejects.toMatchObject({ code: 'LOWSLOW_WEBHOOK_EXISTS' });
    await expect(reg.add({ name: 'from-file', url: 'https://93.184.216.34/', format: 'slack', min_severity: 'low', gateways: [] })).rejects.toMatchObject({ code: 'LOWSLOW_WEBHOOK_EXISTS' });
  });

  it('refuses a name that resolves to a private address when the target is added', async () => {
    const reg = new WebhookTargets([], new MemoryTargetStore(), new MemoryOutbox(), { allowPrivate: false, resolve: async () => [{ address: '192.168.0.10', family: 4 }] });
    await expect(reg.add({ name: 'x', url: 'https://intranet.example/hook', format: 'slack', min_severity: 'low', gateways: [] })).rejects.toMatchObject({
      code: 'LOWSLOW_WEBHOOK_URL',
      message: expect.stringContaining('resolves to 192.168.0.10'),
    });
    expect(await reg.list()).toEqual([]);
  });

  it('removes API targets with their queue, never config targets', async () => {
    const outbox = new MemoryOutbox();
    const reg = new WebhookTargets(config, new MemoryTargetStore(), outbox, { allowPrivate: false, resolve: publicDns });
    await reg.add({ name: 'chat', url: 'https://93.184.216.34/', format: 'slack', min_severity: 'low', gateways: [] });
    await outbox.enqueue('chat', 'd1', makeAlert(1), 1);
    await reg.remove('chat');
    expect((await outbox.status('chat')).pending).toBe(0);
    await expect(reg.remove('chat')).rejects.toMatchObject({ code: 'LOWSLOW_WEBHOOK_NOT_FOUND' });
    await expect(reg.remove('from-file')).rejects.toMatchObject({ code: 'LOWSLOW_WEBHOOK_READ_ONLY' });
  });
});
