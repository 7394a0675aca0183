/** Printing the benchmark: detection per attack type, false alerts, the rate-limit baseline, the misses. */
import { ATTACK_KINDS, SCRAPER_KINDS, type AttackKind } from '../../sim/personas/index.js';
import type { AttackOutcome, RunScore } from './score.js';
import { DAY_MS, RATE_WINDOWS, type KeyStats } from './traffic-stats.js';

/** What each attack leaves in the log for a detector to see (from the simulator's personas). */
export const WHAT_IT_LEAVES: Record<AttackKind, string> = {
  'slow-scraper': 'adds 40-120 sequential reads an hour, day and night, from a new network and agent, beside the key\'s own traffic',
  'new-key-scraper': 'a key without history: sequential reads of one route every 25-75 s around the clock; only the population to compare with',
  'volume-matched-scraper': 'only which objects are read changes (40-70 % of one detail route walks ids); volume, hours, network, agent and routes stay the key\'s own',
  'deep-pager': 'same network, agent and route; page numbers and limit=500 far beyond the key\'s range, at night',
  'shared-key': '18-30 new networks with varied agents join over days; 8-25 requests an hour, around the clock',
  'night-export': 'one 1.5-4 h burst at night in the victim\'s time zone from a new network and agent, a request every 2-5 s',
  'bola-prober': '10-40 reads an hour of other tenants\' ids in working hours, ~90 % answered 403/404; half from the key\'s own network',
  'injection-prober': '1-5 requests an hour with quote/SQL/markup shapes in parameters, mostly 400; half from the key\'s own network and agent',
  'coverage-scraper': 'about 200 of its own detail reads a working day go to accounts it never read (each once, scattered); volume, hours, network, agent and routes stay its own',
  'distributed-scraper': 'five new keys from one /16 with one agent, each reading its own 6,000-id slice of /v1/customers/{int}, 400-700 a day in scattered order',
  'consumer-scraper': "a consumer's four new keys, each from its own network and agent, each reading 300-450 customers a day in scattered order; only the consumer links them",
};

const out = (line = ''): void => void process.stdout.write(line + '\n');

export function table(rows: string[][], right: boolean[] = []): void {
  const widths = rows[0]?.map((_c, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const r of rows) out('  ' + r.map((c, i) => (right[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

export function hours(ms: number | null): string {
  if (ms === null) return '-';
  const m = Math.round(ms / 60_000);
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}`;
}

const pct = (n: number, d: number): string => (d === 0 ? '-' : `${((100 * n) / d).toFixed(0)} %`);
const within = (a: AttackOutcome): boolean => a.detectMs !== null && a.detectMs <= DAY_MS;

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function topFeatures(lists: string[][], n = 4): string {
  const counts = new Map<string, number>();
  for (const l of lists) for (const f of new Set(l)) counts.set(f, (counts.get(f) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, n).map(([f, c]) => `${f} ${c}`).join(', ') || '-';
}

export interface Verdicts {
  scraperRecall: number;
  neverCaught: AttackKind[];
  falsePerK: number;
}

export function printDetection(scores: RunScore[], drift: { day: number; upgradeDay: number } | null): Verdicts {
  const attacks = scores.flatMap((s) => s.attacks);
  out('Detection per attack type (alert on the attacker\'s key whose window ends after the attack start)');
  const rows = [['attack', 'planted', 'caught<=24h', 'recall<=24h', 'caught ever', 'median TTD', 'max TTD', 'first alert named']];
  for (const kind of ATTACK_KINDS) {
    const of = attacks.filter((a) => a.key.persona === kind);
    if (of.length === 0) continue;
    const ttd = of.flatMap((a) => (a.detectMs === null ? [] : [a.detectMs]));
    rows.push([
      kind + (SCRAPER_KINDS.includes(kind) ? ' *' : ''),
      String(of.length),
      String(of.filter(within).length),
      pct(of.filter(within).length, of.length),
      String(ttd.length),
      hours(median(ttd)),
      hours(ttd.length ? Math.max(...ttd) : null),
      topFeatures(of.filter((a) => a.detectMs !== null).map((a) => a.features), 3),
    ]);
  }
  table(rows, [false, true, true, true, true, true, true, false]);
  out('  * low-and-slow scrapers; TTD = end of the first alerting window - attack start, over the attacks caught at all');

  const scrapers = attacks.filter((a) => SCRAPER_KINDS.includes(a.key.persona as AttackKind));
  const scraperRecall = scrapers.filter(within).length / Math.max(1, scrapers.length);
  const neverCaught = ATTACK_KINDS.filter((k) => {
    const of = attacks.filter((a) => a.key.persona === k);
    return of.length > 0 && !SCRAPER_KINDS.includes(k) && of.every((a) => a.detectMs === null);
  });

  out();
  out('False alerts of key windows (kind behaviour; honest keys, and attacked keys before their attack), per honest persona');
  const personas = new Map<string, number>();
  for (const s of scores) for (const [p, d] of s.keyDays) personas.set(p, (personas.get(p) ?? 0) + d);
  // Key windows' alerts; coverage and campaign alerts have their own table (printNewKinds).
  const falses = scores.flatMap((s) => s.falseAlerts).filter((f) => f.kind === 'behaviour');
  const frows = [['persona', 'key-days', 'false alerts', 'per 1,000 key-days', 'reasons named']];
  for (const [p, d] of [...personas].sort((a, b) => b[1] - a[1])) {
    const f = falses.filter((x) => x.persona === p);
    frows.push([p, d.toFixed(0), String(f.length), ((1000 * f.length) / d).toFixed(2), topFeatures(f.map((x) => x.features), 3)]);
  }
  const keyDays = [...personas.values()].reduce((a, b) => a + b, 0);
  const falsePerK = (1000 * falses.length) / Math.max(1, keyDays);
  frows.push(['all honest', keyDays.toFixed(0), String(falses.length), falsePerK.toFixed(2), topFeatures(falses.map((x) => x.features), 3)]);
  table(frows, [false, true, true, true, false]);
  const byDay = new Map<number, number>();
  for (const f of falses) byDay.set(f.day, (byDay.get(f.day) ?? 0) + 1);
  const days = [...byDay].sort((a, b) => a[0] - b[0]).map(([d, n]) => `${d}:${n}`).join(' ');
  out(`  by day of the run${drift ? ` (/v2 released on day ${drift.day}, library upgrade on day ${drift.upgradeDay})` : ''}: ${days || '-'}`);
  out(`  on keys younger than 3 days: ${falses.filter((f) => f.keyAgeDays < 3).length}`);
  const unknown = scores.reduce((a, s) => a + s.unknown, 0);
  if (unknown > 0) out(`  (${unknown} alerts on key_ids not in the truth file, not counted)`);
  out('  key-days count from the end of the learning period (or the key\'s first day) to the run end or the attack start');
  return { scraperRecall, neverCaught, falsePerK };
}

/** The lowest per-key limit per window that no honest traffic exceeds, per seed, and what it would catch. */
export function printRateLimit(scores: RunScore[], stats: Array<Record<string, KeyStats>>, personaOf: Array<Map<string, string>>): Map<string, number[]> {
  out('Best per-key rate limit that raises no false alert (sliding windows; limit = the busiest honest count in the run)');
  const caughtBy = new Map<string, number[]>(); // persona → per window, attacks caught within 24 h
  const rows = [['window', 'limit (per seed)', 'set by', 'scrapers caught<=24h', 'other attacks caught<=24h']];
  RATE_WINDOWS.forEach((w, i) => {
    const limits: number[] = [];
    const setBy = new Set<string>();
    let scrapers = 0;
    let scraperTotal = 0;
    let others = 0;
    let otherTotal = 0;
    scores.forEach((score, s) => {
      let limit = 0;
      let by = '';
      for (const [key, st] of Object.entries(stats[s] ?? {})) {
        const n = st.honestMax[i] ?? 0;
        if (n > limit) [limit, by] = [n, personaOf[s]?.get(key) ?? '?'];
      }
      limits.push(limit);
      setBy.add(by);
      for (const a of score.attacks) {
        const caught = (a.stats?.attackMax?.[i] ?? 0) > limit;
        const kind = a.key.persona;
        const counts = caughtBy.get(kind) ?? RATE_WINDOWS.map(() => 0);
        caughtBy.set(kind, counts);
        if (caught) counts[i] = (counts[i] ?? 0) + 1;
        if (SCRAPER_KINDS.includes(kind as AttackKind)) [scrapers, scraperTotal] = [scrapers + Number(caught), scraperTotal + 1];
        else [others, otherTotal] = [others + Number(caught), otherTotal + 1];
      }
    });
    rows.push([w.label, limits.join(' / '), [...setBy].join(', '), `${scrapers}/${scraperTotal}`, `${others}/${otherTotal}`]);
  });
  table(rows, [false, true, false, true, true]);
  return caughtBy;
}

export function printByKind(scores: RunScore[], rateCaught: Map<string, number[]>): void {
  out('Caught within 24 h of onset: lowslow vs the best no-false-alert rate limit');
  const attacks = scores.flatMap((s) => s.attacks);
  const rows = [['attack', 'planted', 'lowslow', ...RATE_WINDOWS.map((w) => `limit/${w.label}`)]];
  for (const kind of ATTACK_KINDS) {
    const of = attacks.filter((a) => a.key.persona === kind);
    if (of.length === 0) continue;
    rows.push([kind, String(of.length), String(of.filter(within).length), ...(rateCaught.get(kind) ?? []).map(String)]);
  }
  table(rows, [false, true, true, true, true, true]);
}

/** Every attack not caught within 24 h, with what its first day looked like next to the key's past. */
export function printMisses(scores: RunScore[]): void {
  const attacks = scores.flatMap((s) => s.attacks);
  out('What it misses, and what those attacks looked like in their first 24 h');
  let any = false;
  for (const kind of ATTACK_KINDS) {
    const of = attacks.filter((a) => a.key.persona === kind);
    const missed = of.filter((a) => !within(a));
    if (missed.length === 0) continue;
    any = true;
    const late = missed.filter((a) => a.detectMs !== null);
    out(`- ${kind}: ${missed.length} of ${of.length} not caught within 24 h${late.length ? ` (${late.length} later: ${late.map((a) => hours(a.detectMs)).join(', ')})` : ''}`);
    out(`  it ${WHAT_IT_LEAVES[kind]}`);
    for (const a of missed) {
      const d = a.stats?.attackDay;
      const b = a.stats?.before;
      if (!d) continue;
      const usual = b && b.days > 0 ? b.requests / b.days : null;
      out(
        `    seed ${a.seed} ${a.key.key.slice(0, 14)}…: ${d.abusive} abusive of ${d.requests} requests` +
          (usual === null ? ' (no history)' : ` (usual ${usual.toFixed(0)}/active day, peak hour ${d.peakHour} vs ${b?.peakHour ?? 0})`) +
          `, ${pct(d.abusiveNewNetwork, d.abusive)} new network, ${pct(d.abusiveNewAgent, d.abusive)} new agent, ` +
          `${pct(d.abusive4xx, d.abusive)} 4xx, ${d.abusiveObjects} distinct paths`,
      );
    }
  }
  if (!any) out('  nothing: every planted attack was caught within 24 h');
}

/** False alerts of the long-memory and campaign kinds, per honest persona (key-days as above), and honest keys listed in true campaigns. */
export function printNewKinds(scores: RunScore[]): number {
  const personas = new Map<string, number>();
  for (const s of scores) for (const [p, d] of s.keyDays) personas.set(p, (personas.get(p) ?? 0) + d);
  const keyDays = [...personas.values()].reduce((a, b) => a + b, 0);
  const falses = scores.flatMap((s) => s.falseAlerts).filter((f) => f.kind !== 'behaviour');
  out('False alerts of coverage and campaign alerts (honest keys, or campaigns of honest keys only)');
  const rows = [['kind', 'false alerts', 'per 1,000 key-days', 'on personas', 'reasons named']];
  for (const kind of ['coverage', 'campaign']) {
    const f = falses.filter((x) => x.kind === kind);
    const on = new Map<string, number>();
    for (const x of f) for (const p of x.members ?? [x.persona]) on.set(p, (on.get(p) ?? 0) + 1);
    rows.push([kind, String(f.length), ((1000 * f.length) / Math.max(1, keyDays)).toFixed(2), [...on].map(([p, n]) => `${p} ${n}`).join(', ') || '-', topFeatures(f.map((x) => x.features), 3)]);
  }
  table(rows, [false, true, true, false, false]);
  for (const f of falses.slice(0, 12)) out(`  seed ${f.seed} day ${f.day} ${f.kind} on ${f.members ? `${f.members.length} keys (${[...new Set(f.members)].join(', ')})` : `${f.persona} aged ${f.keyAgeDays.toFixed(1)} d`}: ${f.text}`);
  const listed = scores.flatMap((s) => s.campaigns);
  const honest = listed.flatMap((c) => c.honest);
  out(`  over ${keyDays.toFixed(0)} honest key-days; campaign alerts listing attackers: ${listed.length}, honest keys listed beside them: ${honest.length}${honest.length ? ` (${[...new Set(honest)].join(', ')})` : ''}`);
  return (1000 * falses.length) / Math.max(1, keyDays);
}
