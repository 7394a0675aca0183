/** Prometheus `/metrics` for the agent on a loopback port (node:http; nothing else is served). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Agent } from './pipeline.js';
import { renderPrometheus } from './metrics.js';

export async function serveMetrics(agent: Agent, host: string, port: number): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(renderPrometheus(agent.metrics, agent.gauges(), agent.inputMetrics()));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${addr.address}:${addr.port}/metrics`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
