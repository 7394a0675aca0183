/**
 * lowslow backtest over log files (the bundled simulated week): deterministic, a much lower
 * threshold raises a superset, candidates and model files are checked, and known verdicts are
 * counted per side.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateConfig, type Alert, type Config } from '../../../contracts/index.js';
import { backtest } from '../../../bin/backtest.js';
import { loadCandidate } from '../../../bin/backtest-candidate.js';
import { parseTime, readLabels } from '../../../bin/backtest-command.js';
import { compareSides, formatReport, type BacktestReport } from '../../../bin/backtest-report.js';
import { logSource } from '../../../bin/backtest-sources.js';
import { IsolationForest } from '../../../detector/model/index.js';
import { MODEL_COLUMNS } from '../../../detector/score/feature-row.js';
import { makeAlert } from '../../support/alerts.js';
import { SAMPLE_LOG } from '../../support/sample-events.js';

const SECRET = 'backtest-test-secret-0123456789';
const LOG = fileURLToPath(SAMPLE_LOG);
const FROM = Date.UTC(2026, 10, 3);
const TO = Date.UTC(2026, 10, 9);
const dir = mkdtempSync(join(tmpdir(), 'lowslow-backtest-'));
const log = pino({ level: 'silent' });

function config(): Config {
  const c = { key_secret: SECRET };
  if (!validateConfig(c)) throw new Error('default config invalid');
  return c as Config;
}

function file(name: string, text: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

async function run(candidateFile: string, labels: Alert[] = []): Promise<BacktestReport> {
  const current = config();
  return backtest({ current, candidate: loadCandidate(candidateFile, current), source: logSource([LOG], current), from: FROM, to: TO, warmupMs: 24 * 3_600_000, labels, labelSource: 'test', log });
}

describe('backtest over log files', () => {
  let low: BacktestReport;
  const lowFile = file('low.yaml', 'detection:\n  threshold: 0.3\n');

  beforeAll(async () => {
    low = await run(lowFile);
  }, 120_000);

  it('gives the same report for the same inputs', async () => {
    const again = await run(lowFile);
    expect(again).toEqual(low);
    expect(low.events.used).toBeGreaterThan(50_000);
    expect(low.current.alerts).toBeGreaterThan(0);
  }, 120_000);

  it('a candidate with a much lower threshold raises a superset of the current alerts', () => {
    expect(low.changed).toEqual(['threshold']);
    expect(low.candidate.settings.threshold).toBe(0.3);
    expect(low.current.settings.threshold).toBe(0.6);
    expect(low.only_current).toEqual([]);
    expect(low.agreement.both_current).toBe(low.current.alerts);
    expect(low.candidate.alerts).toBeGreaterThan(low.current.alerts);
    expect(low.agreement.only_candidate).toBe(low.only_candidate.length);
    expect(low.agreement.only_candidate).toBeGreaterThan(0);
    for (const a of low.only_candidate) {
      expect(a.threshold).toBe(0.3);
      expect(a.score).toBeGreaterThanOrEqual(0.3);
      expect(a.window.end).toBeGreaterThan(FROM);
      expect(a.window.start).toBeLessThan(TO);
      expect(a.reasons.length).toBeGreaterThan(0);
    }
    const text = formatReport(low);
    expect(text).toContain('threshold');
    expect(text).toContain(`only the candidate raises (${low.only_candidate.length})`);
    expect(text).toContain('only the current config raises (0)');
  });

  it('a model file as the candidate: a fixed forest, and the current side is the same whatever the candidate', async () => {
    const same = await run(file('model.lsif', IsolationForest.fit(new Float64Array(300 * MODEL_COLUMNS.length).map((_, i) => (i * 7919) % 101), MODEL_COLUMNS.length, { trees: 10 }).toBytes()));
    expect(same.candidate.model).toMatch(/^forest .*model\.lsif/);
    expect(same.current.model).toContain('fitted from the events (100 trees');
    // A fixed forest in place of fitted ones changes only what the population model decides.
    expect(same.events).toEqual(low.events);
    expect(same.current).toEqual(low.current);
  }, 120_000);
});

describe('backtest candidates', () => {
  it('refuses an unknown setting, a wrong type and one that changes nothing, naming the field', () => {
    const c = config();
    const err = (text: string) => {
      try {
        loadCandidate(file('bad.yaml', text), c);
      } catch (e) {
        return e as { code: string; message: string };
      }
      throw new Error('accepted');
    };
    expect(err('detection:\n  treshold: 0.3\n')).toMatchObject({ code: 'LOWSLOW_BACKTEST_CANDIDATE', message: expect.stringContaining('detection.treshold: unknown field') });
    expect(err('detection:\n  threshold: high\n')).toMatchObject({ code: 'LOWSLOW_BACKTEST_CANDIDATE', message: expect.stringContaining('detection.threshold') });
    expect(err('detection:\n  calibration: {key_step: 0.1}\n')).toMatchObject({ code: 'LOWSLOW_BACKTEST_CANDIDATE', message: expect.stringContaining('calibration') });
    expect(err('nats:\n  partitions: 2\n')).toMatchObject({ message: expect.stringContaining('nats: unknown field') });
    expect(err('detection:\n  threshold: 0.6\n')).toMatchObject({ message: expect.stringContaining('changes nothing') });
    expect(err('key_secret: *x\n')).toMatchObject({ code: 'LOWSLOW_BACKTEST_CANDIDATE' });
    expect(err('key_secret: *x\n').message).not.toContain('key_secret');
  });

  it('takes model settings and a model file named relative to it; refuses a forest of the wrong width', () => {
    const c = config();
    const forest = IsolationForest.fit(new Float64Array(200 * 3).map((_, i) => i % 17), 3, { trees: 5 });
    file('narrow.lsif', forest.toBytes());
    expect(() => loadCandidate(file('narrow.yaml', 'model: narrow.lsif\n'), c)).toThrow(expect.objectContaining({ code: 'LOWSLOW_BACKTEST_MODEL', message: expect.stringContaining('12') }));
    const wide = IsolationForest.fit(new Float64Array(200 * MODEL_COLUMNS.length).map((_, i) => i % 13), MODEL_COLUMNS.length, { trees: 5 });
    file('wide.lsif', wide.toBytes());
    const cand = loadCandidate(file('trees.yaml', 'detection:\n  model_trees: 50\n  model_sample_size: 128\nmodel: wide.lsif\n'), c);
    expect(cand.changed).toEqual(['model_sample_size', 'model_trees']);
    expect(cand.config.detection).toMatchObject({ model_trees: 50, model_sample_size: 128, threshold: 0.6 });
    expect(cand.model?.kind).toBe('forest');
    // A snapshot as the detector stores it in Redis.
    const snap = { version: 'if-abc', trained_at: 1, threshold: 0.61, rows: 200, forest: Buffer.from(wide.toBytes()).toString('base64') };
    expect(loadCandidate(file('snap.json', JSON.stringify(snap)), c).model).toMatchObject({ kind: 'snapshot', version: 'if-abc', snapshot: { threshold: 0.61 } });
    expect(() => loadCandidate(file('snap-bad.json', JSON.stringify({ ...snap, threshold: 2 })), c)).toThrow(expect.objectContaining({ code: 'LOWSLOW_BACKTEST_MODEL' }));
    const corrupt = wide.toBytes();
    corrupt[40] = (corrupt[40] as number) ^ 0xff;
    expect(() => loadCandidate(file('corrupt.lsif', corrupt), c)).toThrow(expect.objectContaining({ code: 'LOWSLOW_MODEL_CORRUPT' }));
  });
});

describe('backtest period', () => {
  it('takes ms or ISO 8601 and names the option otherwise', () => {
    expect(parseTime('1793577600000', '--from')).toBe(Date.UTC(2026, 10, 2));
    expect(parseTime('2026-11-02T00:00:00Z', '--from')).toBe(Date.UTC(2026, 10, 2));
    expect(() => parseTime('last tuesday', '--to')).toThrow(expect.objectContaining({ code: 'LOWSLOW_BACKTEST_RANGE', message: expect.stringContaining('--to') }));
  });
});

describe('backtest labels', () => {
  it('counts the known true positives each side catches and the known false positives each raises', () => {
    const c = config();
    const low = structuredClone(c);
    low.detection.threshold = 0.3;
    const [a0, a1, a2, a3] = [0, 2, 4, 6].map((i) => makeAlert(i));
    const labelled = (a: Alert, verdict: 'true_positive' | 'false_positive'): Alert => ({ ...a, feedback: { verdict, note: '', at: 1 } });
    // Current raises a0 and a1; the candidate raises those and a2. a1 and a2 are known false positives, a0 and a3 true positives.
    const labels = [labelled(a0 as Alert, 'true_positive'), labelled(a1 as Alert, 'false_positive'), labelled(a2 as Alert, 'false_positive'), labelled(a3 as Alert, 'true_positive')];
    const r = compareSides({
      from: null,
      to: null,
      warmupMs: 0,
      source: { kind: 'logs', files: [], lines: 0, rejected: {} },
      events: { read: 0, used: 0, warmup: 0, outside: 0 },
      candidateFile: 'low.yaml',
      changed: ['threshold'],
      labels,
      labelSource: 'test',
      current: { name: 'current', config: c, model: 'fitted', windows: 3, alerts: [a0, a1] as Alert[] },
      candidate: { name: 'candidate', config: low, model: 'fitted', windows: 3, alerts: [a0, a1, { ...(a2 as Alert), id: 'f'.repeat(24), window: { start: (a2 as Alert).window.start + 1, end: (a2 as Alert).window.end + 5 } }] as Alert[] },
    });
    expect(r.labels).toEqual({ source: 'test', true_positives: 2, false_positives: 2 });
    expect(r.current).toMatchObject({ alerts: 2, known_true_positives_caught: 1, known_false_positives_raised: 1 });
    expect(r.candidate).toMatchObject({ alerts: 3, known_true_positives_caught: 1, known_false_positives_raised: 2 });
    expect(r.only_candidate.map((a) => [a.id, a.verdict])).toEqual([['f'.repeat(24), 'false_positive']]);
    expect(r.agreement).toEqual({ both_current: 2, both_candidate: 2, only_current: 0, only_candidate: 1, rate: 0.8 });
    const text = formatReport(r);
    expect(text).toContain('known true positives caught');
    expect(text).toMatch(/known false positives raised\s+1 of 2\s+2 of 2/);
    expect(text).toContain('[known false positive]');
  });

  it('reads verdicts from Alert v1 JSON lines and API pages, refusing anything else by line', () => {
    const a = { ...makeAlert(0), feedback: { verdict: 'false_positive' as const, note: '', at: 1 } };
    const b = makeAlert(1);
    expect(readLabels(file('labels.jsonl', `${JSON.stringify(a)}\n\n${JSON.stringify({ alerts: [b, a], next_cursor: null })}\n`)).map((x) => x.id)).toEqual([a.id, a.id]);
    expect(() => readLabels(file('labels-bad.jsonl', `${JSON.stringify(a)}\n{"v":2}\n`))).toThrow(expect.objectContaining({ code: 'LOWSLOW_BACKTEST_LABELS', message: expect.stringContaining(':2:') }));
  });
});
