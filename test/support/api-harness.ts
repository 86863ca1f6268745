import type { Queue } from 'bullmq';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { createApp, type AppLimits } from '../../api/app.js';
import { apiWiring, type Wiring } from '../../api/wiring.js';
import { createRedis } from '../../store/queue/redis-connection.js';
import { queuedSnapshotJobs } from '../../store/queue/snapshot-jobs.js';
import { createSnapshotQueue, type SnapshotJobData, type SnapshotJobResult } from '../../store/queue/snapshot-queue.js';
import { ClustersRepository } from '../../store/clusters.repository.js';
import { createPool } from '../../store/db/pool.js';
import { TokensRepository, type TokenScope } from '../../store/tokens.repository.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { claimTestRedis, type TestRedis } from './test-redis.js';

/** A fresh database and Redis database with the real connections an API process would open. */
export interface ApiHarness {
  database: TestDatabase;
  redisDb: TestRedis;
  pool: pg.Pool;
  redis: Redis;
  queue: Queue<SnapshotJobData, SnapshotJobResult>;
  clusters: ClustersRepository;
  tokens: TokensRepository;
  /** Log lines the apps built here wrote. */
  logs: string[];
  /** The real app over these connections; `redis` replaces the one readiness pings. */
  app(options?: {
    limits?: Partial<AppLimits>;
    now?: () => Date;
    redis?: Redis;
    /** REACHLOG_MANIFESTS_ROOT for this app (default: unset, whatever the environment says). */
    manifestsRoot?: string;
    trustProxyHops?: number;
  }): Promise<Express>;
  /** A token's secret, as `reachlog token create` would print it. */
  token(name: string, scope: TokenScope, cluster?: string): Promise<string>;
  close(): Promise<void>;
}

export async function createApiHarness(): Promise<ApiHarness> {
  const database = await createTestDatabase();
  const redisDb = await claimTestRedis();
  const pool = createPool(database.url);
  const redis = createRedis(redisDb.url);
  const queue = createSnapshotQueue(redis);
  const clusters = new ClustersRepository(pool);
  const tokens = new TokensRepository(pool);
  const logs: string[] = [];
  const wirings: Wiring[] = [];
  return {
    database,
    redisDb,
    pool,
    redis,
    queue,
    clusters,
    tokens,
    logs,
    async app(options = {}) {
      const wiring = apiWiring(
        { pool, redis: options.redis ?? redis, jobs: queuedSnapshotJobs(queue) },
        {
          log: (line) => logs.push(line),
          ...(options.limits ? { limits: options.limits } : {}),
          ...(options.now ? { now: options.now } : {}),
          manifestsRoot: options.manifestsRoot,
          trustProxyHops: options.trustProxyHops ?? 0,
        },
      );
      wirings.push(wiring);
      return createApp(wiring.deps);
    },
    async token(name, scope, cluster) {
      const clusterId = cluster === undefined ? null : (await clusters.findByName(cluster))!.id;
      return (await tokens.create(name, scope, clusterId)).secret;
    },
    async close() {
      for (const w of wirings) await w.stop();
      await queue.close();
      redis.disconnect();
      await pool.end();
      await redisDb.release();
      await database.drop();
    },
  };
}
