import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { validateAlert, validateConfig, type Alert, type Config } from '../../../contracts/index.js';
import { replay } from '../../../bin/replay.js';
import { SAMPLE_LOG, sampleTruth } from '../../support/sample-events.js';

const SECRET = 'replay-test-secret-0123456789';

function config(): Config {
  const c = { key_secret: SECRET };
  if (!validateConfig(c)) throw new Error('default config invalid');
  return c as Config;
}

describe('replay of the bundled sample (simulator, seed 1)', () => {
  it('alerts on every planted abusive key within 24 h of its attack, and on no honest key', async () => {
    const printed: Alert[] = [];
    const summary = await replay({ files: [fileURLToPath(SAMPLE_LOG)], config: config(), log: pino({ level: 'silent' }), onAlert: (a) => printed.push(a) });
    const truth = sampleTruth(SECRET);
    const abusive = [...truth.entries()].filter(([, t]) => t.abusive);
    expect(abusive.length).toBeGreaterThanOrEqual(4);
    expect(summary.lines).toBe(summary.events);
    for (const [keyId, t] of abusive) {
      const a = summary.alerts.find((x) => x.key_id === keyId);
      expect(a, `${t.persona} was not caught`).toBeDefined();
      // The alert's window starts with its first anomalous window, which closes an hour later.
      const detectedAfter = (a as Alert).window.start + 3_600_000 - (t.attack_start_ms as number);
      expect(detectedAfter).toBeGreaterThan(0);
      expect(detectedAfter).toBeLessThanOrEqual(24 * 3_600_000);
    }
    const honest = summary.alerts.filter((a) => !truth.get(a.key_id)?.abusive);
    expect(honest.map((a) => truth.get(a.key_id)?.persona)).toEqual([]);
    for (const a of summary.alerts) {
      expect(validateAlert(a)).toBe(true);
      expect(a.reasons.length).toBeGreaterThan(0);
    }
    // Every alert raised was printed; a raise in severity prints the alert again.
    expect(new Set(printed.map((a) => a.id))).toEqual(new Set(summary.alerts.map((a) => a.id)));
  }, 60_000);

  it('gives the same alerts on a second run with the same secret (event time, not wall clock)', async () => {
    const run = async () =>
      (await replay({ files: [fileURLToPath(SAMPLE_LOG)], config: config(), log: pino({ level: 'silent' }), onAlert: () => undefined })).alerts.map(
        ({ created_at: _c, updated_at: _u, ...rest }) => rest,
      );
    expect(await run()).toEqual(await run());
  }, 60_000);
});
