import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { SnapshotJobData, SnapshotJobResult } from '../worker/queue/snapshot-queue.js';
import { ClustersRepository } from '../worker/store/clusters.repository.js';
import type { Db } from '../worker/store/prisma-client.js';
import { TokensRepository } from '../worker/store/tokens.repository.js';
import type { AppDeps, AppLimits } from './app.js';
import { mountGraphql } from './graphql/mount.js';
import { createGraphqlServer } from './graphql/server.js';
import { redact } from './http/redact.js';
import { RedisRateStore } from './http/redis-rate-store.js';
import { tokenAuthenticator } from './http/token-authenticator.js';
import { RepositoryAdminService } from './services/admin-service.js';
import { createQueryService, type QueryServiceOptions } from './services/postgres-query-service.js';
import { TokenReads } from './services/repositories/tokens.repository.js';

export interface Connections {
  pool: pg.Pool;
  prisma: Db;
  /** Readiness pings it; the queue uses it. */
  redis: Redis;
  queue: Queue<SnapshotJobData, SnapshotJobResult>;
}

export interface WiringOptions {
  limits?: Partial<AppLimits>;
  log?: (line: string) => void;
  /** The query service's clock (tests pin it). */
  now?: QueryServiceOptions['now'];
  /** Bytes of answers the query service keeps in memory; 0 computes every answer (benchmarks compare). */
  answerCacheBytes?: number;
}

export interface Wiring {
  deps: AppDeps;
  /** Stops what the app started besides the HTTP server (the GraphQL server). */
  stop(): Promise<void>;
}

/**
 * The app's dependencies over real connections: Postgres for queries and tokens, Redis for the
 * queue, and GraphQL over the same QueryService as REST.
 */
export function apiWiring(c: Connections, options: WiringOptions = {}): Wiring {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const service = createQueryService(c.pool, {
    ...(options.now ? { now: options.now } : {}),
    ...(options.answerCacheBytes === undefined ? {} : { answerCacheBytes: options.answerCacheBytes }),
  });
  const clusters = new ClustersRepository(c.prisma);
  const tokens = new TokensRepository(c.prisma);
  const admin = new RepositoryAdminService(service, clusters, tokens, c.queue);
  const graphql = createGraphqlServer(service, admin, {
    logError: (e) => log(`graphql: internal error: ${redact((e as Error)?.stack ?? String(e))}`),
  });
  let mounted = false;
  return {
    deps: {
      service,
      admin,
      authenticate: tokenAuthenticator(new TokenReads(c.pool)),
      readiness: {
        postgres: () => c.pool.query('SELECT 1'),
        redis: async () => {
          // ioredis queues commands while it reconnects: a ping would just wait. Say why at once.
          if (c.redis.status !== 'ready') throw new Error(`not connected (${c.redis.status})`);
          await c.redis.ping();
        },
      },
      graphql: async (app, principalFromRequest) => {
        await mountGraphql(app, graphql, principalFromRequest);
        mounted = true;
      },
      rateStore: new RedisRateStore(c.redis),
      log,
      ...(options.limits ? { limits: options.limits } : {}),
    },
    async stop() {
      // The server is created with stopOnTerminationSignals: false, so this is the only stop.
      if (mounted) await graphql.stop();
    },
  };
}
