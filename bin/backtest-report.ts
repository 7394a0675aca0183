/**
 * The backtest's report: what each side raised in the period (by kind and severity), which alerts
 * only one of them raises, how much they agree, and, where verdicts are known, how many known true
 * positives each catches and how many known false positives each raises. Two alerts are the same
 * finding when they share key_id and kind and their windows overlap; so is an alert and a verdict.
 * The report holds nothing of the wall clock, so the same inputs give the same report.
 */
import { SEVERITIES, type Alert, type Config, type Severity } from '../contracts/index.js';
import type { SourceInfo } from './backtest-sources.js';

export interface SideRun {
  name: 'current' | 'candidate';
  config: Config;
  model: string;
  windows: number;
  alerts: Alert[];
}

export interface AlertLine {
  id: string;
  key_id: string;
  kind: string;
  severity: Severity;
  score: number;
  threshold: number;
  window: { start: number; end: number };
  reasons: string[];
  /** The verdict known for this finding, if any. */
  verdict: 'true_positive' | 'false_positive' | null;
}

export interface SideReport {
  model: string;
  /** Detection settings (calibration aside). */
  settings: Record<string, number | boolean | string>;
  windows: number;
  alerts: number;
  by_severity: Record<Severity, number>;
  by_kind: Record<string, number>;
  known_true_positives_caught: number;
  known_false_positives_raised: number;
}

export interface BacktestReport {
  v: 1;
  period: { from: string | null; to: string | null; warmup_hours: number };
  source: SourceInfo;
  events: { read: number; used: number; warmup: number; outside: number };
  candidate_file: string;
  /** detection settings the candidate changes. */
  changed: string[];
  current: SideReport;
  candidate: SideReport;
  agreement: { both_current: number; both_candidate: number; only_current: number; only_candidate: number; rate: number };
  only_current: AlertLine[];
  only_candidate: AlertLine[];
  labels: { source: string; true_positives: number; false_positives: number };
}

type Finding = Pick<Alert, 'key_id' | 'kind' | 'window'>;

const same = (a: Finding, b: Finding) => a.key_id === b.key_id && a.kind === b.kind && a.window.start < b.window.end && b.window.start < a.window.end;

/** Findings by key, for lookups. */
function index<T extends Finding>(xs: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    let l = m.get(x.key_id);
    if (!l) m.set(x.key_id, (l = []));
    l.push(x);
  }
  return m;
}

const found = (idx: Map<string, Finding[]>, f: Finding) => (idx.get(f.key_id) ?? []).some((x) => same(x, f));

const order = (a: Alert, b: Alert) => a.window.start - b.window.start || (a.key_id < b.key_id ? -1 : a.key_id > b.key_id ? 1 : 0) || (a.id < b.id ? -1 : 1);
const r4 = (x: number) => Math.round(x * 10_000) / 10_000;

function settings(c: Config): Record<string, number | boolean | string> {
  const { calibration: _c, ...d } = c.detection;
  return d;
}

export interface CompareInput {
  from: number | null;
  to: number | null;
  warmupMs: number;
  source: SourceInfo;
  events: { read: number; used: number; warmup: number; outside: number };
  candidateFile: string;
  changed: string[];
  labels: Alert[];
  labelSource: string;
  current: SideRun;
  candidate: SideRun;
}

export function compareSides(i: CompareInput): BacktestReport {
  const inPeriod = (f: Finding) => (i.from === null || f.window.end > i.from) && (i.to === null || f.window.start < i.to);
  const cur = i.current.alerts.filter(inPeriod).sort(order);
  const cand = i.candidate.alerts.filter(inPeriod).sort(order);
  const labelled = i.labels.filter((a) => a.feedback !== undefined && inPeriod(a));
  const tps = labelled.filter((a) => a.feedback?.verdict === 'true_positive');
  const fps = labelled.filter((a) => a.feedback?.verdict === 'false_positive');
  const curIdx = index(cur);
  const candIdx = index(cand);
  const tpIdx = index(tps);
  const fpIdx = index(fps);
  const verdict = (a: Alert): AlertLine['verdict'] => (found(tpIdx, a) ? 'true_positive' : found(fpIdx, a) ? 'false_positive' : null);
  const line = (a: Alert): AlertLine => ({
    id: a.id,
    key_id: a.key_id,
    kind: a.kind,
    severity: a.severity,
    score: a.score,
    threshold: a.threshold,
    window: { ...a.window },
    reasons: a.reasons.map((r) => r.text),
    verdict: verdict(a),
  });
  const side = (run: SideRun, alerts: Alert[], idx: Map<string, Finding[]>): SideReport => {
    const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    const byKind: Record<string, number> = {};
    for (const a of alerts) {
      bySeverity[a.severity]++;
      byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;
    }
    return {
      model: run.model,
      settings: settings(run.config),
      windows: run.windows,
      alerts: alerts.length,
      by_severity: bySeverity,
      by_kind: byKind,
      known_true_positives_caught: tps.filter((t) => found(idx, t)).length,
      known_false_positives_raised: fps.filter((f) => found(idx, f)).length,
    };
  };
  const onlyCurrent = cur.filter((a) => !found(candIdx, a));
  const onlyCandidate = cand.filter((a) => !found(curIdx, a));
  const both = cur.length - onlyCurrent.length + cand.length - onlyCandidate.length;
  return {
    v: 1,
    period: { from: i.from === null ? null : new Date(i.from).toISOString(), to: i.to === null ? null : new Date(i.to).toISOString(), warmup_hours: i.warmupMs / 3_600_000 },
    source: i.source,
    events: i.events,
    candidate_file: i.candidateFile,
    changed: i.changed,
    current: side(i.current, cur, curIdx),
    candidate: side(i.candidate, cand, candIdx),
    agreement: {
      both_current: cur.length - onlyCurrent.length,
      both_candidate: cand.length - onlyCandidate.length,
      only_current: onlyCurrent.length,
      only_candidate: onlyCandidate.length,
      rate: cur.length + cand.length === 0 ? 1 : r4(both / (cur.length + cand.length)),
    },
    only_current: onlyCurrent.map(line),
    only_candidate: onlyCandidate.map(line),
    labels: { source: i.labelSource, true_positives: tps.length, false_positives: fps.length },
  };
}

const n = (x: number) => x.toLocaleString('en');
function when(w: { start: number; end: number }): string {
  const [a, b] = [new Date(w.start).toISOString(), new Date(w.end).toISOString()];
  // An alert extended over later windows can end on another day.
  return `${a.slice(0, 16)}Z..${a.slice(0, 10) === b.slice(0, 10) ? b.slice(11, 16) : b.slice(0, 16)}Z`;
}

function describeSource(s: SourceInfo): string {
  if (s.kind === 'logs') {
    const rejected = Object.values(s.rejected).reduce((a, b) => a + b, 0);
    return `${s.files.length} log file(s), ${n(s.lines)} lines (${n(rejected)} rejected)`;
  }
  return `JetStream ${s.stream}, ${n(s.messages)} message(s)${s.messages > 0 ? ` (seq ${s.first_seq}..${s.last_seq})` : ''}${s.invalid > 0 ? `, ${n(s.invalid)} invalid events` : ''}`;
}

/** The report for a terminal. */
export function formatReport(r: BacktestReport): string {
  const out: string[] = [];
  const period = r.period.from === null && r.period.to === null ? 'everything read' : `${r.period.from ?? '…'} .. ${r.period.to ?? '…'}`;
  out.push(`backtest over ${period}${r.period.warmup_hours > 0 ? ` (profiles warmed up on the ${r.period.warmup_hours} h before)` : ''}`);
  out.push(`events: ${describeSource(r.source)}; ${n(r.events.used)} used (${n(r.events.warmup)} of them in the warm-up), ${n(r.events.outside)} outside the period and warm-up`);
  out.push('');
  const rows: Array<[string, string, string]> = [['', 'current', `candidate (${r.candidate_file})`]];
  const shown = [...new Set(['threshold', ...r.changed])];
  for (const k of shown) rows.push([k, String(r.current.settings[k]), String(r.candidate.settings[k])]);
  rows.push(['model', r.current.model, r.candidate.model]);
  rows.push(['windows closed', n(r.current.windows), n(r.candidate.windows)]);
  rows.push(['alerts', n(r.current.alerts), n(r.candidate.alerts)]);
  for (const s of [...SEVERITIES].reverse()) rows.push([`  ${s}`, n(r.current.by_severity[s]), n(r.candidate.by_severity[s])]);
  for (const k of [...new Set([...Object.keys(r.current.by_kind), ...Object.keys(r.candidate.by_kind)])].sort()) {
    rows.push([`  kind ${k}`, n(r.current.by_kind[k] ?? 0), n(r.candidate.by_kind[k] ?? 0)]);
  }
  if (r.labels.true_positives + r.labels.false_positives > 0) {
    rows.push(['known true positives caught', `${r.current.known_true_positives_caught} of ${r.labels.true_positives}`, `${r.candidate.known_true_positives_caught} of ${r.labels.true_positives}`]);
    rows.push(['known false positives raised', `${r.current.known_false_positives_raised} of ${r.labels.false_positives}`, `${r.candidate.known_false_positives_raised} of ${r.labels.false_positives}`]);
  }
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  for (const [a, b, c] of rows) out.push(`  ${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`.trimEnd());
  if (r.labels.true_positives + r.labels.false_positives === 0) out.push(`  (no verdicts known for the period; labels: ${r.labels.source})`);
  out.push('');
  const g = r.agreement;
  out.push(
    `agreement ${Math.round(g.rate * 100)} %: ${g.both_current} of current's ${r.current.alerts} alert(s) and ${g.both_candidate} of the candidate's ${r.candidate.alerts} are raised by both`,
  );
  for (const [title, list] of [
    ['only the candidate raises', r.only_candidate],
    ['only the current config raises', r.only_current],
  ] as const) {
    out.push('', `${title} (${list.length}):`);
    for (const a of list) {
      const v = a.verdict === null ? '' : ` [known ${a.verdict.replace('_', ' ')}]`;
      out.push(`  key_id=${a.key_id} ${a.kind} ${a.severity.toUpperCase()} score=${a.score.toFixed(3)} (threshold ${a.threshold}) window ${when(a.window)}${v}`);
      for (const t of a.reasons) out.push(`    - ${t}`);
    }
  }
  return out.join('\n');
}
