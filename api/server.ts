import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRedis } from '../store/queue/redis-connection.js';
import { queuedSnapshotJobs } from '../store/queue/snapshot-jobs.js';
import { createSnapshotQueue } from '../store/queue/snapshot-queue.js';
import { createPool } from '../store/db/pool.js';
import { createApp } from './app.js';
import { apiWiring, type Connections, type WiringOptions } from './wiring.js';

export interface ApiServerOptions extends WiringOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Connections to share (the demo shares its pool); those not given are opened here and closed on close(). */
  connections?: Partial<Connections>;
}

export interface RunningApi {
  server: Server;
  port: number;
  url: string;
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
  if (!jobs) {
    if (!redis) throw new Error('startApiServer: without Redis, give the snapshot jobs (connections.jobs)');
    const queue = createSnapshotQueue(redis);
    opened.unshift(() => queue.close());
    jobs = queuedSnapshotJobs(queue, redis);
  }

  const closeOpened = async () => {
    for (const close of opened) await close();
  };
  try {
    const wiring = apiWiring({ pool, redis, jobs }, { ...options, log });
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
    const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
    return {
      server,
      port,
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
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
