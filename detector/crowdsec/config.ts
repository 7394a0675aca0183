/**
 * CrowdSec bridge config, phase one (pure): `detector.crowdsec` checked without I/O and turned into
 * milliseconds. When enabled it needs an http(s) URL, a machine id and a password; a CrowdsecError
 * (LOWSLOW_CROWDSEC_CONFIG) names the field and never echoes the password.
 */
import type { Config, Severity } from '../../contracts/index.js';
import { CrowdsecError } from './errors.js';

export interface CrowdsecOptions {
  /** Base URL without a trailing slash. */
  url: string;
  machineId: string;
  password: string;
  minSeverity: Severity;
  decisionType: string;
  /** As the LAPI takes it (a Go duration). */
  decisionDuration: string;
  decisionMs: number;
  simulated: boolean;
  queueMax: number;
  batchSize: number;
  timeoutMs: number;
  retryInitialMs: number;
  retryMaxMs: number;
  pollMs: number;
}

const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1000 } as const;

/** Milliseconds of a Go duration made of h, m and s parts (the config pattern allows nothing else). */
export function durationMs(d: string): number {
  let ms = 0;
  for (const m of d.matchAll(/([0-9]+)([hms])/g)) ms += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return ms;
}

/** The options, or null when the bridge is off. */
export function crowdsecOptions(c: Config['detector']['crowdsec']): CrowdsecOptions | null {
  if (!c.enabled) return null;
  let u: URL;
  try {
    u = new URL(c.url);
  } catch {
    throw new CrowdsecError('LOWSLOW_CROWDSEC_CONFIG', 'detector.crowdsec.url: not an absolute URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new CrowdsecError('LOWSLOW_CROWDSEC_CONFIG', 'detector.crowdsec.url: must be http or https');
  if (u.username !== '' || u.password !== '') throw new CrowdsecError('LOWSLOW_CROWDSEC_CONFIG', 'detector.crowdsec.url: must not carry credentials (use machine_id and password)');
  if (c.machine_id === '') throw new CrowdsecError('LOWSLOW_CROWDSEC_CONFIG', 'detector.crowdsec.machine_id: is required when the bridge is enabled');
  if (c.password === undefined) {
    throw new CrowdsecError('LOWSLOW_CROWDSEC_CONFIG', 'detector.crowdsec.password: is required when the bridge is enabled (set LOWSLOW_DETECTOR_CROWDSEC_PASSWORD)');
  }
  const decisionMs = durationMs(c.decision_duration);
  if (decisionMs <= 0) throw new CrowdsecError('LOWSLOW_CROWDSEC_CONFIG', 'detector.crowdsec.decision_duration: must be longer than 0s');
  return {
    url: c.url.replace(/\/+$/, ''),
    machineId: c.machine_id,
    password: c.password,
    minSeverity: c.min_severity,
    decisionType: c.decision_type,
    decisionDuration: c.decision_duration,
    decisionMs,
    simulated: c.simulated,
    queueMax: c.queue_max,
    batchSize: c.batch_size,
    timeoutMs: c.timeout_seconds * 1000,
    retryInitialMs: c.retry_initial_seconds * 1000,
    retryMaxMs: c.retry_max_seconds * 1000,
    pollMs: c.poll_seconds * 1000,
  };
}
