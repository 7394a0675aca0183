/**
 * The agent's per-line path (Agent.handleRecord in agent/pipeline.ts), driven directly as
 * published-events.test.ts does: parser → Sanitizer → numbersInContract → the event's JSON bytes,
 * with every promise checked on the way. A line must come out as a known rejection reason, an
 * event the agent drops as `invalid_event`, or an event that is AccessEvent v1 both as an object
 * and as the bytes that would be published (the same bytes as JSON.stringify).
 * Failures are thrown with the seed, the line number and the mutations that made the line.
 */
import type { AccessEvent } from '../../../contracts/index.js';
import { validateAccessEvent } from '../../../contracts/index.js';
import { eventBytes } from '../../../agent/outputs/event-json.js';
import { parsers, REJECT_REASONS, type ParseOptions, type ParseResult, type RejectReason } from '../../../agent/parsers/index.js';
import { MAX_AHEAD_MS, numbersInContract } from '../../../agent/sanitize/bounds.js';
import { Sanitizer, type SanitizePolicy } from '../../../agent/sanitize/index.js';
import type { Format } from './corpus.js';
import { FUZZ_SECRET } from './hostile.js';

export type Outcome = RejectReason | 'invalid_event' | 'event';
export const OUTCOMES: readonly Outcome[] = [...REJECT_REASONS, 'invalid_event', 'event'];

export const FUZZ_POLICY: SanitizePolicy = {
  secret: FUZZ_SECRET,
  gateway: 'fuzz',
  host: 'gw1',
  keyParams: ['api_key', 'apikey', 'key', 'access_token', 'token'],
  rawParams: ['sort', 'q'],
  truncateIp: false,
};

/** The agent's defaults (contracts/config.v1): 64 KiB lines, the default key headers, Bearer on. */
export const PARSE: ParseOptions = { maxLineBytes: 65_536, keyHeaders: ['x-api-key', 'apikey', 'api-key'], bearer: true };
/** Room for 1 MB fields, so they are parsed instead of rejected as too_long. */
export const PARSE_HUGE: ParseOptions = { ...PARSE, maxLineBytes: 4 << 20 };

export class FuzzFailure extends Error {
  override name = 'FuzzFailure';
}

/** Where a line came from, for the failure message. */
export interface LineContext {
  seed: number;
  index: number;
  ops: readonly string[];
}

const RECORD_KEYS = ['apiKey', 'ip', 'keyId', 'latencyMs', 'method', 'path', 'query', 'requestBytes', 'requestId', 'responseBytes', 'status', 'ts', 'userAgent'].join();
const REQUEST_ID = /^[0-9A-Za-z_-]{8,64}$/;
const KEY_ID = /^[0-9a-f]{32}$/;
const count = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/** What is wrong with a parser's answer, or null: a known reason, or a record with sane types. */
export function resultProblem(r: ParseResult): string | null {
  if (typeof r === 'string') return (REJECT_REASONS as readonly string[]).includes(r) ? null : `unknown rejection reason ${JSON.stringify(r)}`;
  if (r === null || typeof r !== 'object') return `answered ${typeof r}`;
  const keys = Object.keys(r).filter((k) => k !== 'gateway' && k !== 'requestIdFromClient').sort().join();
  if (keys !== RECORD_KEYS) return `record keys ${keys}`;
  if (r.requestIdFromClient !== undefined && r.requestIdFromClient !== (r.requestId !== null)) return `requestIdFromClient ${String(r.requestIdFromClient)} with requestId ${String(r.requestId)}`;
  const g = r.gateway;
  if (g !== undefined && !(typeof g.service === 'string' && typeof g.routeName === 'string' && typeof g.consumer === 'string')) return `gateway ${JSON.stringify(g)}`;
  // ts and latencyMs may leave the contract (a latency longer than the end time, an absurd time):
  // numbersInContract turns such an event into invalid_event, as the design says (sanitize/bounds.ts).
  if (typeof r.ts !== 'number' || Number.isNaN(r.ts)) return `ts ${r.ts}`;
  if (typeof r.latencyMs !== 'number' || !(r.latencyMs >= 0)) return `latencyMs ${r.latencyMs}`;
  for (const k of ['status', 'requestBytes', 'responseBytes'] as const) if (!count(r[k])) return `${k} ${r[k]}`;
  for (const k of ['ip', 'method', 'path', 'query', 'userAgent'] as const) if (typeof r[k] !== 'string') return `${k} is ${typeof r[k]}`;
  if (r.method === '') return 'empty method';
  if (r.path.charCodeAt(0) !== 47) return `path ${JSON.stringify(r.path.slice(0, 80))} does not start with /`;
  if (r.requestId !== null && !(typeof r.requestId === 'string' && REQUEST_ID.test(r.requestId))) return `requestId ${JSON.stringify(r.requestId)}`;
  if (r.keyId !== null && !(typeof r.keyId === 'string' && KEY_ID.test(r.keyId))) return `keyId ${JSON.stringify(r.keyId)}`;
  if (r.apiKey !== null && !(typeof r.apiKey === 'string' && r.apiKey !== '')) return `apiKey ${JSON.stringify(r.apiKey)}`;
  return null;
}

export function describeLine(format: string, line: string, ctx: LineContext | undefined): string {
  const where = ctx ? ` seed=${ctx.seed} line #${ctx.index} ops=[${ctx.ops.join(',')}] (rerun with LOWSLOW_FUZZ_SEED=${ctx.seed})` : '';
  const shown = line.length > 600 ? `${JSON.stringify(line.slice(0, 600))}… (${line.length} chars)` : JSON.stringify(line);
  return `${format}${where}\n  line: ${shown}`;
}

export interface Checked {
  outcome: Outcome;
  event?: AccessEvent;
}

export class LineChecker {
  readonly sanitizer: Sanitizer;
  readonly counts = new Map<Format, Record<Outcome, number>>();

  constructor(policy: SanitizePolicy = FUZZ_POLICY) {
    this.sanitizer = new Sanitizer(policy);
  }

  countsOf(format: Format): Record<Outcome, number> {
    let c = this.counts.get(format);
    if (!c) {
      c = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
      this.counts.set(format, c);
    }
    return c;
  }

  /** One line through the per-line path; throws a FuzzFailure when a promise is broken. */
  /** `stream` and `offset`: the line's position, as the file input gives it (else the id comes from the text). */
  check(format: Format, line: string, opts: ParseOptions = PARSE, ctx?: LineContext, stream?: string, offset?: number): Checked {
    const fail = (what: string, cause?: unknown): never => {
      throw new FuzzFailure(`${what}\n  ${describeLine(format, line, ctx)}`, { cause });
    };
    const parse = parsers[format];
    if (!parse) return fail(`no parser for ${format}`);
    let r: ParseResult;
    try {
      r = parse(line, opts);
    } catch (err) {
      return fail(`parser threw ${(err as Error)?.name}: ${(err as Error)?.message}`, err);
    }
    const problem = resultProblem(r);
    if (problem !== null) fail(`parser answered nonsense: ${problem}`);
    const counts = this.countsOf(format);
    if (typeof r === 'string') {
      counts[r]++;
      return { outcome: r };
    }
    // The agent refuses times a day or more past its clock (MAX_AHEAD_MS); so does this check.
    if (r.ts > Date.now() + MAX_AHEAD_MS) {
      counts.bad_time++;
      return { outcome: 'bad_time' };
    }
    let e: AccessEvent;
    try {
      e = this.sanitizer.toEvent(r, line, stream, offset);
    } catch (err) {
      return fail(`sanitizer threw ${(err as Error)?.name}: ${(err as Error)?.message}`, err);
    }
    const cheap = numbersInContract(e);
    const full = validateAccessEvent(e);
    if (cheap !== full) {
      fail(`numbersInContract says ${cheap}, the AccessEvent v1 validator ${full} (${JSON.stringify(validateAccessEvent.errors?.[0] ?? null)})`);
    }
    if (!cheap) {
      counts.invalid_event++;
      return { outcome: 'invalid_event' };
    }
    let json: string;
    try {
      // Decoded as the detector decodes it: a byte that is not UTF-8 would show as U+FFFD and differ.
      json = Buffer.from(eventBytes(e)).toString('utf8');
    } catch (err) {
      return fail(`eventBytes threw ${(err as Error)?.name}: ${(err as Error)?.message}`, err);
    }
    // The same text as JSON.stringify of an event that validates: what the detector reads validates.
    if (json !== JSON.stringify(e)) fail(`the published bytes are not the event's JSON: ${JSON.stringify(json.slice(0, 300))}`);
    counts.event++;
    return { outcome: 'event', event: e };
  }
}
