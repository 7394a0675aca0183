/**
 * A CrowdSec Local API client for a machine (watcher): `POST /v1/watchers/login` {machine_id,
 * password, scenarios} → {token, expire}; `POST /v1/alerts` with a JWT; `DELETE /v1/decisions`.
 * The token is kept until a minute before it expires; a 401 drops it, logs in again and repeats the
 * request once. Every call answers ok, retry (network trouble, timeouts, 408, 425, 429, 5xx, a
 * refused login) or fatal (any other 4xx), never throws, and no message it gives carries the
 * password or the token.
 */
import type { LapiAlert } from './lapi-alert.js';

export type LapiResult<T> = { result: 'ok'; value: T } | { result: 'retry' | 'fatal'; error: string; status?: number };

export interface LapiClientOptions {
  url: string;
  machineId: string;
  password: string;
  scenarios: string[];
  timeoutMs: number;
  userAgent: string;
  now?: () => number;
  /** Told of every login attempt. */
  onLogin?: (outcome: 'ok' | 'refused' | 'failed') => void;
}

/** LAPI answers are read and dropped past this. */
const MAX_ANSWER_BYTES = 256 * 1024;
/** A token this close to its expiry is renewed before use. */
const RENEW_MS = 60_000;

interface Answer {
  status: number;
  body: string;
}

export class LapiClient {
  private token: string | null = null;
  private expiresAt = 0;
  private readonly now: () => number;

  constructor(private readonly o: LapiClientOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Ids LAPI gave the alerts. */
  async pushAlerts(alerts: LapiAlert[], signal?: AbortSignal): Promise<LapiResult<string[]>> {
    const r = await this.authorized('POST', '/v1/alerts', JSON.stringify(alerts), signal);
    if (r.result !== 'ok') return r;
    try {
      const ids = JSON.parse(r.value) as unknown;
      return { result: 'ok', value: Array.isArray(ids) ? ids.map(String) : [] };
    } catch {
      return { result: 'ok', value: [] };
    }
  }

  /** Deletes the decisions of one scope and value made by one scenario; answers how many went. */
  async deleteDecisions(q: { scope: string; value: string; scenario: string }, signal?: AbortSignal): Promise<LapiResult<number>> {
    const r = await this.authorized('DELETE', `/v1/decisions?${new URLSearchParams(q).toString()}`, undefined, signal);
    if (r.result !== 'ok') return r;
    try {
      return { result: 'ok', value: Number((JSON.parse(r.value) as { nbDeleted?: string }).nbDeleted ?? 0) || 0 };
    } catch {
      return { result: 'ok', value: 0 };
    }
  }

  /** Forgets the token (the next call logs in). */
  logout(): void {
    this.token = null;
  }

  private async authorized(method: string, path: string, body: string | undefined, signal?: AbortSignal): Promise<LapiResult<string>> {
    for (let attempt = 0; ; attempt++) {
      const login = await this.ensureToken(signal);
      if (login !== null) return login;
      const r = await this.call(method, path, body, this.token, signal);
      if ('error' in r) return r.error;
      // An expired or revoked token: log in again and repeat once.
      if (r.status === 401 && attempt === 0) {
        this.token = null;
        continue;
      }
      return this.classify(r, `${method} ${path.split('?')[0]}`, (x) => x.body);
    }
  }

  /** null when a valid token is held; otherwise the failed login's outcome. */
  private async ensureToken(signal?: AbortSignal): Promise<{ result: 'retry' | 'fatal'; error: string; status?: number } | null> {
    if (this.token !== null && this.expiresAt - RENEW_MS > this.now()) return null;
    this.token = null;
    const body = JSON.stringify({ machine_id: this.o.machineId, password: this.o.password, scenarios: this.o.scenarios });
    const r = await this.call('POST', '/v1/watchers/login', body, null, signal);
    if ('error' in r) {
      this.o.onLogin?.('failed');
      return r.error;
    }
    if (r.status === 401 || r.status === 403) {
      this.o.onLogin?.('refused');
      // Retried: the machine may be added or validated on the LAPI side meanwhile.
      return { result: 'retry', status: r.status, error: `login refused (HTTP ${r.status}): check detector.crowdsec.machine_id and the password (LOWSLOW_DETECTOR_CROWDSEC_PASSWORD), and that the machine is validated (cscli machines validate)` };
    }
    const res = this.classify(r, 'POST /v1/watchers/login', (x) => x.body);
    if (res.result !== 'ok') {
      this.o.onLogin?.('failed');
      return res;
    }
    let answer: { token?: unknown; expire?: unknown };
    try {
      answer = JSON.parse(res.value) as { token?: unknown; expire?: unknown };
    } catch {
      answer = {};
    }
    if (typeof answer.token !== 'string' || answer.token === '') {
      this.o.onLogin?.('failed');
      return { result: 'retry', error: 'login answer carries no token' };
    }
    const expire = typeof answer.expire === 'string' ? Date.parse(answer.expire) : NaN;
    this.token = answer.token;
    // Without a readable expiry the token is used until LAPI answers 401.
    this.expiresAt = Number.isFinite(expire) ? expire : Number.POSITIVE_INFINITY;
    this.o.onLogin?.('ok');
    return null;
  }

  private classify<T>(r: Answer, what: string, value: (a: Answer) => T): LapiResult<T> {
    if (r.status >= 200 && r.status < 300) return { result: 'ok', value: value(r) };
    const error = `${what}: HTTP ${r.status}${this.lapiMessage(r.body)}`;
    if (r.status === 408 || r.status === 425 || r.status === 429 || r.status >= 500 || r.status === 401) return { result: 'retry', status: r.status, error };
    return { result: 'fatal', status: r.status, error };
  }

  /** LAPI's own `message`, short, with anything secret taken out. */
  private lapiMessage(body: string): string {
    let m: unknown;
    try {
      m = (JSON.parse(body) as { message?: unknown }).message;
    } catch {
      return '';
    }
    if (typeof m !== 'string' || m === '') return '';
    return ` (${this.scrub(m).slice(0, 200)})`;
  }

  private scrub(s: string): string {
    let out = s.split(this.o.password).join('***');
    if (this.token) out = out.split(this.token).join('***');
    return out;
  }

  private async call(method: string, path: string, body: string | undefined, token: string | null, signal?: AbortSignal): Promise<Answer | { error: { result: 'retry'; error: string } }> {
    const timeout = AbortSignal.timeout(this.o.timeoutMs);
    const headers: Record<string, string> = { 'user-agent': this.o.userAgent, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token !== null) headers.authorization = `Bearer ${token}`;
    try {
      const res = await fetch(`${this.o.url}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        redirect: 'manual',
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
      return { status: res.status, body: await readBounded(res) };
    } catch (err) {
      if (timeout.aborted) return { error: { result: 'retry', error: `${method} ${path.split('?')[0]}: no answer within ${this.o.timeoutMs} ms` } };
      if (signal?.aborted) return { error: { result: 'retry', error: 'stopped' } };
      const cause = (err as { cause?: { code?: string } }).cause;
      return { error: { result: 'retry', error: `${method} ${path.split('?')[0]}: ${cause?.code ?? this.scrub((err as Error).message)}` } };
    }
  }
}

async function readBounded(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let seen = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += value.byteLength;
    if (seen > MAX_ANSWER_BYTES) {
      await reader.cancel();
      break;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
