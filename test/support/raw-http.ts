/**
 * HTTP/1.1 written by hand on a TCP socket, for what fetch will not send: paths it would normalise
 * (`/v1/alerts/../`), duplicate headers, requests trickled a byte at a time (slowloris), bodies
 * far larger than any limit. Resolves once the server closes the connection, or after `timeoutMs`
 * with `closedByServer: false`.
 */
import { connect } from 'node:net';

export interface RawReply {
  /** Status of the first response, 0 when none came. */
  status: number;
  /** Everything the server sent. */
  text: string;
  /** The first response's body. */
  body: string;
  closedByServer: boolean;
  /** Bytes of the request (and flood) the socket accepted before it closed. */
  written: number;
}

export interface RawOptions {
  /** Write one byte every this many ms instead of all at once. */
  trickleMs?: number;
  /** With trickleMs: the first this many bytes go at once (headers), only the rest trickles (body). */
  trickleFrom?: number;
  /** After the request, keep sending this many filler bytes (as fast as the socket takes them). */
  flood?: number;
  /** @default 15000 */
  timeoutMs?: number;
}

export function rawHttp(port: number, request: string, opts: RawOptions = {}): Promise<RawReply> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const bytes = Buffer.from(request, 'latin1');
    let text = '';
    let written = 0;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(trickle);
      socket.destroy();
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      const start = text.indexOf('\r\n\r\n');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text.slice(0, start))?.[1] ?? text.length);
      resolve({ status, text, body: start < 0 ? '' : text.slice(start + 4, start + 4 + length), closedByServer, written });
    };
    timer = setTimeout(() => finish(false), opts.timeoutMs ?? 15_000);
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => finish(true));
    const filler = Buffer.alloc(65_536, 0x20);
    const flood = () => {
      while (!done && !socket.destroyed && written < bytes.length + (opts.flood ?? 0)) {
        written += filler.length;
        if (!socket.write(filler)) return void socket.once('drain', flood);
      }
    };
    let trickle: NodeJS.Timeout | undefined;
    socket.once('connect', () => {
      if (opts.trickleMs === undefined) {
        socket.write(bytes);
        written = bytes.length;
        if (opts.flood !== undefined) flood();
        return;
      }
      if (opts.trickleFrom !== undefined) {
        socket.write(bytes.subarray(0, opts.trickleFrom));
        written = opts.trickleFrom;
      }
      trickle = setInterval(() => {
        if (done || socket.destroyed || written >= bytes.length) return clearInterval(trickle);
        socket.write(bytes.subarray(written, written + 1));
        written++;
      }, opts.trickleMs);
    });
  });
}
