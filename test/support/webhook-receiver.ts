/**
 * Real local HTTP receivers for webhook tests (port 0 on loopback, as undici's fixtures do): each
 * records what it was sent and answers as its `answer` function says (status, delay, headers).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  url: string;
  /** Wall-clock ms when the request arrived. */
  at: number;
}

export interface Answer {
  status: number;
  delayMs?: number;
  headers?: Record<string, string>;
}

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Requests answered 2xx. */
  accepted: Received[];
  close(): Promise<void>;
}

export async function startReceiver(answer: (r: Received, n: number) => Answer = () => ({ status: 200 })): Promise<Receiver> {
  const received: Received[] = [];
  const accepted: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), url: req.url ?? '', at: Date.now() };
      received.push(r);
      const a = answer(r, received.length);
      void sleep(a.delayMs ?? 0).then(() => {
        if (res.destroyed) return;
        if (a.status >= 200 && a.status < 300) accepted.push(r);
        res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
        res.end('{"text":"Success","code":0}');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    received,
    accepted,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Waits until `cond` holds, polling. */
export async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
