import { listenOn } from '../../metrics/listen.js';
import { createServer, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { metricsAnswer } from '../../metrics/exposition.js';
import { checkReadiness, READINESS_TIMEOUT_MS, type ReadinessCheck } from '../../store/readiness.js';

/**
 * The worker's own small HTTP server, for what watches the process rather than for users: probes
 * (`/healthz`, `/readyz`) and Prometheus metrics (`/metrics`), none with a token: the port is
 * for the kubelet and Prometheus only (deploy/ opens it to nothing else). The worker has no
 * other listening socket.
 */

/** The port `reachlog worker` serves status on unless told otherwise; deploy/ probes it. */
export const DEFAULT_STATUS_PORT = 9091;

export interface StatusServerOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** What `/readyz` asks, by name (Postgres and Redis for the worker). */
  readiness: Record<string, ReadinessCheck>;
  /** How long one readiness check may take. */
  timeoutMs?: number;
  /**
   * More for `/readyz`'s body, not its status (the worker's overdue clusters): a gap in a
   * cluster's history is for people to see, not a reason to restart or unroute the worker.
   */
  detail?: () => Promise<Record<string, unknown>>;
  /** What `/metrics` serves; none: no `/metrics`. */
  metrics?: Registry;
}

/** The detail, or why it could not be had (Postgres down: the checks say so too). */
async function detailOf(options: StatusServerOptions): Promise<Record<string, unknown>> {
  if (!options.detail) return {};
  try {
    return await options.detail();
  } catch (e) {
    return { detailError: (e as Error).message };
  }
}

export interface RunningStatusServer {
  port: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * `/healthz` answers 200 while the process runs and its event loop turns: a loop blocked by a
 * long computation answers late, and the probe's own timeout counts that as a failure. It never
 * asks a dependency, so a Redis outage does not get the worker restarted. `/readyz` answers 200
 * when every check passes, else 503 naming the ones that failed.
 */
export async function startStatusServer(options: StatusServerOptions): Promise<RunningStatusServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://status').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { status: 'method not allowed' });
    } else if (path === '/healthz') {
      send(res, 200, { status: 'ok' });
    } else if (path === '/readyz') {
      const timeoutMs = options.timeoutMs ?? READINESS_TIMEOUT_MS;
      void checkReadiness(options.readiness, { timeoutMs }).then(async (r) => {
        const more = r.checks.postgres === 'ok' ? await detailOf(options) : {};
        if (r.ready) send(res, 200, { status: 'ready', checks: r.checks, ...more });
        else send(res, 503, { status: 'not ready', detail: r.detail, checks: r.checks, ...more });
      });
    } else if (path === '/metrics' && options.metrics) {
      void metricsAnswer(options.metrics).then((a) => {
        res.writeHead(a.status, { 'content-type': a.contentType, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : a.body);
      });
    } else {
      send(res, 404, { status: 'not found', paths: ['/healthz', '/readyz', ...(options.metrics ? ['/metrics'] : [])] });
    }
  });
  // Probes and scrapes are short requests; nothing here should hold a socket open for long.
  server.headersTimeout = 5_000;
  server.requestTimeout = 10_000;
  return listenOn(server, options.port, options.host);
}
