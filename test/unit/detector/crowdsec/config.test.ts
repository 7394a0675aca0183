import { describe, expect, it } from 'vitest';
import { validateConfig, type Config } from '../../../../contracts/index.js';
import { ConfigError, loadConfig } from '../../../../bin/config.js';
import { crowdsecOptions, durationMs } from '../../../../detector/crowdsec/config.js';
import { CrowdsecError } from '../../../../detector/crowdsec/errors.js';
import { createCrowdsec } from '../../../../detector/crowdsec/index.js';
import { MemoryOutbox } from '../../../../detector/webhooks/memory-outbox.js';
import { pino } from 'pino';

const PASSWORD = 'canary-crowdsec-config-pw-77e1';

function crowdsec(over: Record<string, unknown>): Config['detector']['crowdsec'] {
  const c = { detector: { crowdsec: over } };
  if (!validateConfig(c)) throw new Error(JSON.stringify(validateConfig.errors));
  return (c as unknown as Config).detector.crowdsec;
}

function refusal(over: Record<string, unknown>): CrowdsecError {
  try {
    crowdsecOptions(crowdsec(over));
  } catch (err) {
    expect(err).toBeInstanceOf(CrowdsecError);
    expect((err as CrowdsecError).code).toBe('LOWSLOW_CROWDSEC_CONFIG');
    return err as CrowdsecError;
  }
  throw new Error('did not throw');
}

describe('crowdsec bridge config', () => {
  it('is off by default, with a description and a default on every field', () => {
    const c = crowdsec({});
    expect(c).toEqual({
      enabled: false,
      url: 'http://127.0.0.1:8080',
      machine_id: '',
      min_severity: 'high',
      decision_type: 'ban',
      decision_duration: '4h',
      simulated: false,
      queue_max: 1000,
      batch_size: 50,
      timeout_seconds: 10,
      retry_initial_seconds: 1,
      retry_max_seconds: 60,
      poll_seconds: 1,
    });
    expect(crowdsecOptions(c)).toBeNull();
    expect(createCrowdsec({ config: c, outbox: new MemoryOutbox(), log: pino({ level: 'silent' }) })).toBeNull();
  });

  it('refuses unknown keys and values outside the schema', () => {
    expect(validateConfig({ detector: { crowdsec: { colour: 'red' } } })).toBe(false);
    expect(validateConfig({ detector: { crowdsec: { decision_duration: '4 hours' } } })).toBe(false);
    expect(validateConfig({ detector: { crowdsec: { decision_duration: '1d' } } })).toBe(false);
    expect(validateConfig({ detector: { crowdsec: { decision_type: 'Ban!' } } })).toBe(false);
    expect(validateConfig({ detector: { crowdsec: { min_severity: 'urgent' } } })).toBe(false);
    expect(validateConfig({ detector: { crowdsec: { queue_max: 0 } } })).toBe(false);
  });

  it('needs a machine id and a password when enabled, naming the field and the variable', () => {
    expect(refusal({ enabled: true, password: PASSWORD }).message).toContain('detector.crowdsec.machine_id: is required');
    expect(refusal({ enabled: true, machine_id: 'm' }).message).toContain('LOWSLOW_DETECTOR_CROWDSEC_PASSWORD');
    expect(refusal({ enabled: true, machine_id: 'm', password: PASSWORD, url: 'ftp://lapi.local' }).message).toContain('detector.crowdsec.url: must be http or https');
    expect(refusal({ enabled: true, machine_id: 'm', password: PASSWORD, url: 'http://u:p@lapi.local' }).message).toContain('must not carry credentials');
    expect(refusal({ enabled: true, machine_id: 'm', password: PASSWORD, url: 'not a url' }).message).not.toContain(PASSWORD);
  });

  it('takes the password from LOWSLOW_DETECTOR_CROWDSEC_PASSWORD and never echoes it in an error', () => {
    const env = { LOWSLOW_DETECTOR_CROWDSEC_ENABLED: 'true', LOWSLOW_DETECTOR_CROWDSEC_MACHINE_ID: 'lowslow', LOWSLOW_DETECTOR_CROWDSEC_PASSWORD: PASSWORD };
    const o = crowdsecOptions(loadConfig(undefined, env).detector.crowdsec);
    expect(o).toMatchObject({ machineId: 'lowslow', password: PASSWORD, url: 'http://127.0.0.1:8080', decisionMs: 4 * 3_600_000 });
    try {
      loadConfig(undefined, { ...env, LOWSLOW_DETECTOR_CROWDSEC_PASSWORD: `${PASSWORD}\u0001` });
      throw new Error('did not throw');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/^detector\.crowdsec\.password: /);
      expect((err as Error).message).not.toContain(PASSWORD);
    }
  });

  it('reads Go durations made of hours, minutes and seconds', () => {
    expect(durationMs('4h')).toBe(14_400_000);
    expect(durationMs('1h30m')).toBe(5_400_000);
    expect(durationMs('90s')).toBe(90_000);
    expect(() => crowdsecOptions(crowdsec({ enabled: true, machine_id: 'm', password: PASSWORD, decision_duration: '0s' }))).toThrow(/decision_duration: must be longer than 0s/);
  });
});
