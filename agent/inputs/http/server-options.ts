/**
 * How the http input's server treats slow and broken clients. A client has
 * `inputs.http.request_timeout_seconds` to send a whole request (headers and body) and at most 10 s
 * of that for the headers; a slower one (headers a byte at a time, a body trickled) gets a JSON 408
 * and its connection closed, while other senders are served. Requests Node's parser refuses get
 * the same JSON shape as every other error. `onError` hears the status only: what the parser
 * received holds the Authorization header and the body.
 */
import { maxHeaderSize, STATUS_CODES, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';

const HEADERS_TIMEOUT_MS = 10_000;

export interface ServerLimits {
  requestTimeout: number;
  http: ServerOptions;
  clientErrorHandler: (err: NodeJS.ErrnoException & { reason?: unknown }, socket: Socket) => void;
}

export function serverLimits(requestTimeoutMs: number, onError: (status: 400 | 408 | 431) => void): ServerLimits {
  const headersTimeout = Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs);
  return {
    requestTimeout: requestTimeoutMs,
    http: {
      requestTimeout: requestTimeoutMs,
      headersTimeout,
      // Node looks for expired requests on this interval (30 s by default): the cut-off comes at
      // most one interval after the timeout.
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 4))),
    },
    clientErrorHandler(err, socket) {
      if (err.code === 'ECONNRESET' || socket.destroyed) return;
      const [status, message] = clientErrorReply(err, requestTimeoutMs, headersTimeout);
      onError(status);
      // A reply already on its way (a 413 while the body still arrives) is not followed by another.
      const sent = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
      if (socket.writable && !sent) {
        const body = JSON.stringify({ statusCode: status, error: STATUS_CODES[status], message });
        socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      }
      socket.destroy();
    },
  };
}

function clientErrorReply(err: NodeJS.ErrnoException & { reason?: unknown }, requestMs: number, headersMs: number): [400 | 408 | 431, string] {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return [408, `the request did not arrive in time: headers within ${headersMs / 1000} s, the whole request within inputs.http.request_timeout_seconds (${requestMs / 1000} s)`];
  }
  if (err.code === 'HPE_HEADER_OVERFLOW') return [431, `the request headers are larger than ${maxHeaderSize} bytes`];
  // llhttp's reason is a fixed text ("Invalid header value char"), never the bytes received.
  const reason = typeof err.reason === 'string' && /^[\w .,'-]{1,80}$/.test(err.reason) ? `: ${err.reason}` : '';
  return [400, `malformed HTTP request${reason}`];
}
