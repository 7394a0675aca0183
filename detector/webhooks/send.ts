/**
 * One delivery attempt: POST the body, no redirect followed, the socket's address checked by the
 * SSRF guard, the whole exchange bounded by a timeout. Answers ok, retry (network trouble, 408,
 * 425, 429, 5xx) or fatal (a refused address, a redirect, any other 4xx), never throws.
 */
import http from 'node:http';
import https from 'node:https';
import { checkTargetUrl, guardedLookup } from './ssrf.js';
import type { WebhookRequest } from './formats/index.js';

export type SendResult = { result: 'ok'; status: number } | { result: 'retry' | 'fatal'; status?: number; error: string };

export interface SendOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  /** Aborts the attempt (the dispatcher is stopping). */
  signal?: AbortSignal;
}

/** Receivers' answers are read and dropped, up to this much. */
const MAX_RESPONSE_BYTES = 64 * 1024;

function classify(status: number): SendResult {
  if (status >= 200 && status < 300) return { result: 'ok', status };
  if (status >= 300 && status < 400) return { result: 'fatal', status, error: `HTTP ${status}: redirects are not followed` };
  if (status === 408 || status === 425 || status === 429 || status >= 500) return { result: 'retry', status, error: `HTTP ${status}` };
  return { result: 'fatal', status, error: `HTTP ${status}` };
}

export function send(url: string, req: WebhookRequest, opts: SendOptions): Promise<SendResult> {
  const refused = checkTargetUrl(url, opts.allowPrivate);
  if (refused !== null) return Promise.resolve({ result: 'fatal', error: refused });
  const u = new URL(url);
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const done = (r: SendResult) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const fail = (err: unknown) => {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'LOWSLOW_WEBHOOK_URL') return done({ result: 'fatal', error: (err as Error).message });
      if (timeout.aborted) return done({ result: 'retry', error: `no answer within ${opts.timeoutMs} ms` });
      if (opts.signal?.aborted) return done({ result: 'retry', error: 'stopped' });
      done({ result: 'retry', error: code ?? (err instanceof Error ? err.message : String(err)) });
    };
    const request = (u.protocol === 'https:' ? https : http).request(
      u,
      {
        method: 'POST',
        headers: { 'user-agent': 'lowslow-webhook/1', ...req.headers, 'content-length': Buffer.byteLength(req.body) },
        lookup: guardedLookup(opts.allowPrivate),
        agent: false,
        signal,
      },
      (res) => {
        let seen = 0;
        res.on('data', (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > MAX_RESPONSE_BYTES) res.destroy();
        });
        res.on('error', fail);
        res.on('close', () => done(classify(res.statusCode ?? 0)));
      },
    );
    request.on('error', fail);
    request.end(req.body);
  });
}
