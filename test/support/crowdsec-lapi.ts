/**
 * A real HTTP server on a free loopback port that plays CrowdSec's Local API for one machine, as
 * far as lowslow uses it: `POST /v1/watchers/login` issues JWT-like tokens that expire,
 * `POST /v1/alerts` and `DELETE /v1/decisions` need a valid one (401 otherwise, as gin-jwt
 * answers), `GET /v1/decisions` answers a bouncer. Every request body is checked against the JSON
 * Schema derived from CrowdSec's swagger (test/fixtures/crowdsec/lapi-models.schema.json); a body
 * that fails is answered 400 and kept in `schemaErrors`. Scripted failures (`failNext`) and token
 * expiry (`expireTokens`) let tests play an unhealthy LAPI; `hold` leaves requests unanswered.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export interface LapiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
  raw: string;
}

export interface LapiDecision {
  id: number;
  origin: string;
  type: string;
  scope: string;
  value: string;
  duration: string;
  scenario: string;
  until: number;
  simulated: boolean;
}

export interface FakeLapi {
  url: string;
  requests: LapiRequest[];
  schemaErrors: string[];
  alerts: unknown[];
  decisions: LapiDecision[];
  tokens: string[];
  /** The next `n` requests to `path` (any path when omitted) answer `status` with `message`. */
  failNext(status: number, n?: number, path?: string, message?: string): void;
  /** Every token issued so far stops being valid (as when the JWT expires or LAPI restarts). */
  expireTokens(): void;
  /** Requests to `path` are read but never answered until `release()`. */
  hold(path: string): void;
  release(): void;
  close(): Promise<void>;
}

const models = JSON.parse(readFileSync(new URL('../fixtures/crowdsec/lapi-models.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats.default(ajv);
ajv.addSchema(models);
const ID = 'https://lowslow.dev/test/fixtures/crowdsec/lapi-models.schema.json';
const schema = (name: string) => ajv.getSchema(`${ID}#/definitions/${name}`) as ValidateFunction;
const validators: Record<string, ValidateFunction> = {
  'POST /v1/watchers/login': schema('WatcherAuthRequest'),
  'POST /v1/alerts': schema('AddAlertsRequest'),
};
/** What LAPI answers, checked too, so the fake cannot drift from the models the client reads. */
const answers: Record<string, ValidateFunction> = {
  'POST /v1/watchers/login': schema('WatcherAuthResponse'),
  'POST /v1/alerts': schema('AddAlertsResponse'),
  'DELETE /v1/decisions': schema('DeleteDecisionResponse'),
};

const GO_UNITS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };
function goDurationMs(d: string): number {
  let ms = 0;
  for (const m of d.matchAll(/([0-9.]+)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * (GO_UNITS[m[2] as string] as number);
  return ms;
}

export async function startFakeLapi(o: { machineId: string; password: string; tokenTtlMs?: number }): Promise<FakeLapi> {
  const requests: LapiRequest[] = [];
  const schemaErrors: string[] = [];
  const alerts: unknown[] = [];
  const decisions: LapiDecision[] = [];
  const tokens: string[] = [];
  const valid = new Map<string, number>();
  const failures: Array<{ status: number; path?: string; message: string }> = [];
  const held = new Set<string>();
  const waiting: Array<() => void> = [];
  let nextId = 1;

  const answer = (res: ServerResponse, key: string, status: number, body: unknown) => {
    const check = answers[key];
    if (status < 300 && check && !check(body)) schemaErrors.push(`answer ${key}: ${ajv.errorsText(check.errors)}`);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };

  const authorized = (req: LapiRequest) => {
    const m = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''));
    const until = m ? valid.get(m[1] as string) : undefined;
    return until !== undefined && until > Date.now();
  };

  const handle = (req: LapiRequest, res: ServerResponse) => {
    const key = `${req.method} ${req.path}`;
    const fail = failures.findIndex((f) => f.path === undefined || f.path === req.path);
    if (fail >= 0) {
      const [f] = failures.splice(fail, 1);
      return answer(res, key, f?.status as number, { message: f?.message });
    }
    const check = validators[key];
    if (check && !check(req.body)) {
      schemaErrors.push(`${key}: ${ajv.errorsText(check.errors)}`);
      return answer(res, key, 400, { message: ajv.errorsText(check.errors) });
    }
    if (key === 'POST /v1/watchers/login') {
      const b = req.body as { machine_id: string; password: string };
      if (b.machine_id !== o.machineId || b.password !== o.password) return answer(res, key, 401, { code: 401, message: 'incorrect Username or Password' });
      const token = randomBytes(24).toString('hex');
      const expire = Date.now() + (o.tokenTtlMs ?? 3_600_000);
      tokens.push(token);
      valid.set(token, expire);
      return answer(res, key, 200, { code: 200, expire: new Date(expire).toISOString().replace(/\.\d{3}Z$/, 'Z'), token });
    }
    if (key === 'POST /v1/alerts' || key === 'DELETE /v1/decisions') {
      if (!authorized(req)) return answer(res, key, 401, { code: 401, message: 'Token is expired' });
    }
    if (key === 'POST /v1/alerts') {
      const ids: string[] = [];
      for (const a of req.body as Array<{ simulated: boolean; decisions?: Array<Omit<LapiDecision, 'id' | 'until' | 'simulated'>> }>) {
        alerts.push(a);
        ids.push(String(alerts.length));
        for (const d of a.decisions ?? []) decisions.push({ ...d, id: nextId++, until: Date.now() + goDurationMs(d.duration), simulated: a.simulated });
      }
      return answer(res, key, 201, ids);
    }
    if (key === 'DELETE /v1/decisions') {
      const match = (d: LapiDecision) => ['scope', 'value', 'scenario', 'type'].every((k) => !req.query.has(k) || req.query.get(k) === d[k as keyof LapiDecision]);
      const gone = decisions.filter(match);
      for (const d of gone) decisions.splice(decisions.indexOf(d), 1);
      return answer(res, key, 200, { nbDeleted: String(gone.length) });
    }
    if (key === 'GET /v1/decisions') {
      // What a bouncer sees (it authenticates with X-Api-Key; any key will do here).
      const now = Date.now();
      const live = decisions.filter((d) => d.until > now && !d.simulated && (!req.query.has('scope') || d.scope === req.query.get('scope')) && (!req.query.has('value') || d.value === req.query.get('value')));
      return answer(res, key, 200, live.length === 0 ? null : live.map(({ until, ...d }) => ({ ...d, duration: `${Math.round((until - now) / 1000)}s` })));
    }
    return answer(res, key, 404, { message: 'page not found' });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://lapi');
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = undefined;
      try {
        body = raw === '' ? undefined : (JSON.parse(raw) as unknown);
      } catch {
        body = raw;
      }
      const r: LapiRequest = { method: req.method ?? '', path: u.pathname, query: u.searchParams, headers: req.headers, body, raw };
      requests.push(r);
      if (held.has(r.path)) waiting.push(() => handle(r, res));
      else handle(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    schemaErrors,
    alerts,
    decisions,
    tokens,
    failNext: (status, n = 1, path, message = `injected ${status}`) => {
      for (let i = 0; i < n; i++) failures.push({ status, message, ...(path !== undefined ? { path } : {}) });
    },
    expireTokens: () => valid.clear(),
    hold: (path) => held.add(path),
    release: () => {
      held.clear();
      for (const w of waiting.splice(0)) w();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
