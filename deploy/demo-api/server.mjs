// The demo API behind nginx in docker-compose.yml: answers every request with the status and
// body size the traffic simulator asks for (X-Demo-Status, X-Demo-Bytes), so the gateway logs
// what the simulated API would have answered. Stands in for a real API; no dependencies.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 3000);
const MAX_BYTES = 1 << 20;

function intHeader(value, fallback, min, max) {
  const n = Number(value);
  return Number.isInteger(n) && n >= min && n <= max ? n : fallback;
}

const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  req.resume();
  const status = intHeader(req.headers['x-demo-status'], 200, 100, 599);
  const bytes = intHeader(req.headers['x-demo-bytes'], 64, 0, MAX_BYTES);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes });
  res.end(bytes > 0 ? Buffer.alloc(bytes, 0x20) : undefined);
});
server.listen(port, () => process.stdout.write(`demo api on :${port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
