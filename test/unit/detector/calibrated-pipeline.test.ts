/**
 * The Detector with calibrated thresholds, over the bundled simulated week: without labels it
 * raises exactly what it raises without a calibrator (default behaviour unchanged); a false
 * positive on a key raises that key's threshold and nobody else's.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../contracts/index.js';
import { calibrationOptions } from '../../../detector/alerts/calibration.js';
import { MemoryCalibrationStore } from '../../../detector/alerts/calibration-store.js';
import { Calibrator } from '../../../detector/alerts/calibrator.js';
import { MemoryAlertStore } from '../../../detector/alerts/memory-alert-store.js';
import { CallbackAlertPublisher } from '../../../detector/alerts/publish.js';
import { Detector } from '../../../detector/pipeline.js';
import { MemoryProfileStore } from '../../../detector/profiles/memory-store.js';
import { comparable, feed, testConfig } from '../../support/detector-harness.js';
import { sampleEvents } from '../../support/sample-events.js';
import { pino } from 'pino';

const events = sampleEvents('calibrated-pipeline-secret-0123456789');
const config = testConfig();

async function run(calibration?: Calibrator): Promise<Alert[]> {
  const alerts = new MemoryAlertStore();
  const detector = new Detector({ config, store: new MemoryProfileStore(), alerts, publisher: new CallbackAlertPublisher(() => undefined), log: pino({ level: 'silent' }), ...(calibration ? { calibration } : {}) });
  await feed(detector, events, config.nats.partitions);
  await detector.finish();
  return alerts.all();
}

describe('Detector with calibrated thresholds', () => {
  it('raises the same alerts as without calibration while no verdict is given, and a false positive moves only its key', async () => {
    const plain = await run();
    expect(plain.length).toBeGreaterThan(1);
    const calibration = new Calibrator({
      store: new MemoryCalibrationStore(),
      options: calibrationOptions({ ...config.detection.calibration, key_step: 0.2, max_raise: 0.3 }),
      base: config.detection.threshold,
    });
    expect(comparable(await run(calibration))).toEqual(comparable(plain));

    // The key whose first alert scored lowest is labelled false positive on that alert.
    const target = [...plain].sort((a, b) => a.score - b.score)[0] as Alert;
    expect(target.score).toBeLessThan(0.8);
    await calibration.label({ ...target, feedback: { verdict: 'false_positive', note: '', at: Date.now() } }, 'test');
    const after = await run(calibration);
    const others = (xs: Alert[]) => comparable(xs.filter((a) => a.key_id !== target.key_id));
    expect(others(after)).toEqual(others(plain));
    const mine = after.filter((a) => a.key_id === target.key_id);
    expect(mine.map((a) => a.id)).not.toContain(target.id);
    for (const a of mine) {
      expect(a.threshold).toBeCloseTo(0.8, 3);
      expect(a.score).toBeGreaterThanOrEqual(a.threshold);
    }
  }, 120_000);
});
