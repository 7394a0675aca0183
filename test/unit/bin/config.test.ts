import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, envVariables, loadConfig } from '../../../bin/config.js';

const dir = mkdtempSync(join(tmpdir(), 'lowslow-config-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('config loading', () => {
  it('fills every default when nothing is given', () => {
    const c = loadConfig(undefined, {});
    expect(c.nats.servers).toEqual(['nats://127.0.0.1:4222']);
    expect(c.nats.partitions).toBe(8);
    expect(c.detection.window_minutes).toBe(60);
    expect(c.key_secret).toBeUndefined();
  });

  it('reads YAML and JSON files, and environment variables override them', () => {
    const y = file('a.yaml', 'nats:\n  partitions: 16\n  servers: [nats://a:4222]\napi:\n  port: 9000\n');
    const c = loadConfig(y, { LOWSLOW_API_PORT: '9100', LOWSLOW_NATS_SERVERS: 'nats://x:1, nats://y:2', LOWSLOW_SANITIZE_TRUNCATE_IP: 'true' });
    expect(c.nats.partitions).toBe(16);
    expect(c.api.port).toBe(9100);
    expect(c.nats.servers).toEqual(['nats://x:1', 'nats://y:2']);
    expect(c.sanitize.truncate_ip).toBe(true);
    const j = file('a.json', '{"detector": {"partitions": [1, 3]}}');
    expect(loadConfig(j, { LOWSLOW_DETECTOR_PARTITIONS: '0,2' }).detector.partitions).toEqual([0, 2]);
    expect(loadConfig(j, {}).detector.partitions).toEqual([1, 3]);
  });

  it('maps every leaf of the schema to one LOWSLOW_ variable', () => {
    const names = envVariables().map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('LOWSLOW_KEY_SECRET');
    expect(names).toContain('LOWSLOW_INPUTS_FILE_PATHS');
    expect(names).toContain('LOWSLOW_DETECTION_THRESHOLD');
  });

  it.each([
    ['nats:\n  partitions: -1\n', {}, 'nats.partitions: must be >= 1'],
    ['api:\n  prot: 1\n', {}, 'api.prot: unknown field'],
    ['[]', {}, 'must hold an object of sections'],
    ['a: [', {}, 'not valid YAML or JSON'],
    ['{}', { LOWSLOW_DETECTION_THRESHOLD: 'high' }, 'detection.threshold: must be number'],
    ['{}', { LOWSLOW_LOG_LEVEL: 'loud' }, 'log.level'],
  ])('refuses %j with one line naming the field', (text, env, expected) => {
    const p = file(`bad${Math.random()}.yaml`, text);
    let err: unknown;
    try {
      loadConfig(p, env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('LOWSLOW_CONFIG');
    expect((err as Error).message).toContain(expected);
    expect((err as Error).message).not.toContain('\n');
  });

  it('names a missing file', () => {
    expect(() => loadConfig(join(dir, 'nope.yaml'), {})).toThrow(/nope\.yaml: cannot read \(ENOENT\)/);
  });

  it('never echoes the secret in an error', () => {
    try {
      loadConfig(undefined, { LOWSLOW_KEY_SECRET: 'canary-sec' });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toContain('key_secret');
      expect((e as Error).message).not.toContain('canary-sec');
    }
  });
});
