/**
 * The long-memory and campaign run of `npm run bench:detect`: five weeks of 300 keys written as
 * Kong serialize() lines (so each key's consumer reaches the detector), with the API's accounts,
 * a month-long coverage scraper, distributed scrapers (five new keys, one slice each of one id
 * space) and consumers whose new keys read together what none reads alone. Prints, per kind,
 * catch rates and time to detect by key and by group, and the false alerts of every kind.
 */
import { CAMPAIGN_KINDS, GROUP_SIZE, type AttackKind } from '../../sim/personas/index.js';
import { parseAttackMix, resolveOptions, type SimOptions } from '../../sim/options.js';
import { hours, table, WHAT_IT_LEAVES } from './report.js';
import type { AttackOutcome, RunScore } from './score.js';
import { DAY_MS } from './traffic-stats.js';

/** Five weeks; the attacks start from day 10 (the attacked keys have ten days of history), over 12 days. */
export function longOptions(seed: number): SimOptions {
  return resolveOptions({
    seed,
    days: 35,
    keys: 300,
    start: '2026-11-02T00:00:00Z',
    population: 'extended',
    driftDay: 14,
    attackDay: 10,
    attackSpread: 12,
    accounts: true,
    format: 'kong',
    attacks: parseAttackMix('coverage-scraper:3,distributed-scraper:10,consumer-scraper:10'),
  });
}

const out = (line = ''): void => void process.stdout.write(line + '\n');

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const within = (ms: number | null, days: number) => ms !== null && ms <= days * DAY_MS;

function firstNamed(of: AttackOutcome[]): string {
  const counts = new Map<string, number>();
  for (const a of of) if (a.detectMs !== null) counts.set(`${a.kind}: ${a.features[0] ?? '-'}`, (counts.get(`${a.kind}: ${a.features[0] ?? '-'}`) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([f, n]) => `${f} ${n}`).join(', ') || '-';
}

/** Per new kind: keys (and groups) caught within 1, 7, 14 days and ever, time to detect. Answers the kinds never caught. */
export function printLong(scores: RunScore[]): AttackKind[] {
  const attacks = scores.flatMap((s) => s.attacks);
  out('Detection of the long-memory and campaign attacks (any alert kind naming the key: its own, coverage, or a campaign listing it)');
  const rows = [['attack', 'planted', '<=24h', '<=7d', '<=14d', 'ever', 'median TTD', 'max TTD', 'first alert (kind: reason)']];
  const never: AttackKind[] = [];
  for (const kind of CAMPAIGN_KINDS) {
    const of = attacks.filter((a) => a.key.persona === kind);
    if (of.length === 0) continue;
    const addRow = (label: string, outcomes: Array<number | null>, named: string) => {
      const ttd = outcomes.flatMap((x) => (x === null ? [] : [x]));
      rows.push([
        label,
        String(outcomes.length),
        String(outcomes.filter((x) => within(x, 1)).length),
        String(outcomes.filter((x) => within(x, 7)).length),
        String(outcomes.filter((x) => within(x, 14)).length),
        String(ttd.length),
        hours(median(ttd)),
        hours(ttd.length ? Math.max(...ttd) : null),
        named,
      ]);
    };
    addRow(`${kind} (keys)`, of.map((a) => a.detectMs), firstNamed(of));
    if (GROUP_SIZE[kind] !== undefined) {
      // A group is caught when an alert names any of its keys; its time runs from its first key's start.
      const groups = new Map<string, AttackOutcome[]>();
      for (const a of of) {
        const g = `${a.seed}|${a.key.group ?? a.key.key}`;
        groups.set(g, [...(groups.get(g) ?? []), a]);
      }
      const ttd = [...groups.values()].map((ms) => {
        const start = Math.min(...ms.map((m) => m.startMs));
        const hits = ms.flatMap((m) => (m.detectMs === null ? [] : [m.startMs + m.detectMs - start]));
        return hits.length ? Math.min(...hits) : null;
      });
      addRow(`${kind} (groups)`, ttd, '');
      if (ttd.every((x) => x === null)) never.push(kind);
    } else if (of.every((a) => a.detectMs === null)) never.push(kind);
  }
  table(rows, [false, true, true, true, true, true, true, true, false]);
  out('  TTD = end of the first alerting window naming the key - its attack start (groups: - the start of its first key)');
  for (const kind of CAMPAIGN_KINDS) if (attacks.some((a) => a.key.persona === kind)) out(`  ${kind}: ${WHAT_IT_LEAVES[kind]}`);
  const late = attacks.filter((a) => (CAMPAIGN_KINDS as readonly string[]).includes(a.key.persona) && !within(a.detectMs, 14));
  if (late.length > 0) {
    out('  not caught within 14 days:');
    for (const a of late) {
      const b = a.byKind;
      out(`    seed ${a.seed} ${a.key.persona} ${a.key.key.slice(0, 14)}…${a.key.group ? ` (${a.key.group})` : ''}: ${a.detectMs === null ? 'never' : hours(a.detectMs)}${Object.keys(b).length ? ` [${Object.entries(b).map(([k, ms]) => `${k} ${hours(ms)}`).join(', ')}]` : ''}`);
    }
  }
  return never;
}
