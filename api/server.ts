import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRedis } from '../store/queue/redis-connection.js';
import { queuedSnapshotJobs } from '../store/queue/snapshot-jobs.js';
import { createSnapshotQueue } from '../store/queue/snapshot-queue.js';
import { createPool } from '../store/db/pool.js';
import { ClusterFactsRepository } from '../store/cluster-facts.repository.js';
import { startMetricsServer } from '../metrics/metrics-server.js';
import { createApiMetrics, type MetricsSources } from '../metrics/process-metrics.js';
import { createApp } from './app.js';
import { redact } from '../config/redact.js';
import { apiWiring, type Connections, type WiringOptions } from './wiring.js';

export interface ApiServerOptions extends WiringOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Connections to share (the demo shares its pool); those not given are opened here and closed on close(). */
  connections?: Partial<Connections>;
  /** `/metrics` alone, without a token, on this port (0: a free one); undefined: no metrics port. */
  metricsPort?: number;
  /** Serves `/metrics` on the API's own port too, to requests bearing this token. */
  metricsToken?: string;
  /** Scrapes within this many ms share the store's answers (default 5 s; tests use 0). */
  metricsCacheMs?: MetricsSources['cacheMs'];
}

export interface RunningApi {
  server: Server;
  port: number;
  url: string;
  /** Where `/metrics` is served without a token, if a metrics port was asked for. */
  metricsPort: number | undefined;
  /** Stops accepting, lets requests in flight finish (5 s at most), then closes what it opened. */
  close(): Promise<void>;
}

function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** Snapshots come every few minutes; the dashboard's first page is answered again within this of one. */
const WARM_FIRST_PAGES_EVERY_MS = 30_000;

/** The API over DATABASE_URL and REDIS_URL (or the connections given), listening. */
export async function startApiServer(options: ApiServerOptions): Promise<RunningApi> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const given = options.connections ?? {};
  const opened: (() => Promise<void>)[] = [];
  const pool = given.pool ?? createPool();
  if (!given.pool) opened.push(() => pool.end());
  // The embedded mode gives its jobs and no Redis (null); otherwise the queue is BullMQ's, on Redis.
  // ioredis reconnects by itself; createRedis says so once per outage instead of once per attempt.
  const redis = given.redis === undefined ? createRedis(undefined, { log }) : given.redis;
  if (given.redis === undefined && redis) opened.push(async () => redis.disconnect());
  let jobs = given.jobs;
  const queue = redis ? createSnapshotQueue(redis) : undefined;
  if (queue) opened.unshift(() => queue.close());
  if (!jobs) {
    if (!queue) throw new Error('startApiServer: without Redis, give the snapshot jobs (connections.jobs)');
    jobs = queuedSnapshotJobs(queue, redis!);
  }
  const facts = new ClusterFactsRepository(pool);
  const metrics = createApiMetrics({
    clusterFacts: () => facts.all(),
    ...(queue ? { queues: [queue] } : {}),
    ...(options.metricsCacheMs === undefined ? {} : { cacheMs: options.metricsCacheMs }),
    onError: (line) => log(redact(line)),
  });

  const closeOpened = async () => {
    for (const close of opened) await close();
  };
  let metricsPort: number | undefined;
  try {
    const wiring = apiWiring(
      { pool, redis, jobs },
      {
        warmFirstPagesEveryMs: WARM_FIRST_PAGES_EVERY_MS,
        ...options,
        log,
        metrics: { api: metrics, ...(options.metricsToken ? { token: options.metricsToken } : {}) },
      },
    );
    opened.unshift(() => wiring.stop());
    const app = await createApp(wiring.deps);
    const server = createServer(app);
    // Node's own limits, below the app's: headers must arrive within 15 s, a whole request within 30 s.
    server.headersTimeout = 15_000;
    server.requestTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host ?? '0.0.0.0', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    if (options.metricsPort !== undefined) {
      const metricsServer = await startMetricsServer({
        registry: metrics.registry,
        port: options.metricsPort,
        ...(options.host ? { host: options.host } : {}),
      }).catch(async (e: unknown) => {
        await closeServer(server, 0);
        throw e;
      });
      opened.unshift(() => metricsServer.close());
      metricsPort = metricsServer.port;
    }
    const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
    return {
      server,
      port,
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      metricsPort,
      async close() {
        await closeServer(server, 5_000);
        await closeOpened();
      },
    };
  } catch (e) {
    await closeOpened();
    throw e;
  }
}
