import { listenOn } from './listen.js';
import { createServer } from 'node:http';
import type { Registry } from 'prom-client';
import { metricsAnswer } from './exposition.js';

/**
 * `/metrics` alone on a port of its own, without a token: for the API when Prometheus scrapes a
 * port that only it may reach (deploy/ keeps it closed to everything else).
 */
export interface RunningMetricsServer {
  port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(options: {
  registry: Registry;
  /** 0 picks a free port. */
  port: number;
  host?: string;
}): Promise<RunningMetricsServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://metrics').pathname;
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('only GET /metrics is served here\n');
      return;
    }
    void metricsAnswer(options.registry).then((a) => {
      res.writeHead(a.status, { 'content-type': a.contentType, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : a.body);
    });
  });
  server.headersTimeout = 5_000;
  server.requestTimeout = 30_000;
  return listenOn(server, options.port, options.host);
}
