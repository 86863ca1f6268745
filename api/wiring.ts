import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { SnapshotJobs } from '../store/queue/snapshot-jobs.js';
import { ClustersRepository } from '../store/clusters.repository.js';
import { TokensRepository } from '../store/tokens.repository.js';
import { storeChecks } from '../store/readiness.js';
import type { AppDeps, AppLimits } from './app.js';
import { mountGraphql } from './graphql/mount.js';
import { createGraphqlServer } from './graphql/server.js';
import { redact } from '../config/redact.js';
import { env } from '../config/env.js';
import { RedisRateStore } from './http/redis-rate-store.js';
import { tokenAuthenticator } from './http/token-authenticator.js';
import { RepositoryAdminService } from './services/admin-service.js';
import { RepositoryAlertService } from './services/alert-service.js';
import { ReceiverSealer } from '../store/receiver-secret.js';
import { PgQueryService, type QueryServiceOptions } from './services/postgres-query-service.js';
import { reportServiceFromEnv } from './services/reports/report-service-from-env.js';
import { ReportDefinitionService } from './services/reports/report-definitions.js';
import { ReportDefinitionsRepository } from '../store/report-definitions.repository.js';
import { createReportQueue } from '../store/queue/report-queue.js';
import { queuedReportJobs } from '../store/queue/report-jobs.js';
import { ReportRunsRepository } from '../store/report-runs.repository.js';
import { DefinitionRunner } from './services/reports/definition-runner.js';
import { InProcessReportJobs } from './services/reports/in-process-report-jobs.js';

export interface Connections {
  pool: pg.Pool;
  /**
   * Readiness pings it and rate-limit counts live in it, shared by every API replica; null in
   * the embedded mode (one process): counts stay in memory and readiness checks Postgres only.
   */
  redis: Redis | null;
  /** Where snapshot jobs go: the BullMQ queue, or this process in the embedded mode. */
  jobs: SnapshotJobs;
}

export interface WiringOptions {
  limits?: Partial<AppLimits>;
  log?: (line: string) => void;
  /** The query service's clock (tests pin it). */
  now?: QueryServiceOptions['now'];
  /** Bytes of answers the query service keeps in memory; 0 computes every answer (benchmarks compare). */
  answerCacheBytes?: number;
  /** Reverse proxies in front of the API (default REACHLOG_TRUST_PROXY_HOPS). */
  trustProxyHops?: number;
  /** Where API-registered manifests sources may lie (default REACHLOG_MANIFESTS_ROOT; undefined: nowhere). */
  manifestsRoot?: string | undefined;
  /**
   * How often the query service answers the dashboard's first page ahead of time (on start-up,
   * then at this interval: a new snapshot changes what `now` resolves to); undefined: never.
   */
  warmFirstPagesEveryMs?: number;
  /** The process's metrics (request durations) and the token `/metrics` on the API's port asks for. */
  metrics?: AppDeps['metrics'];
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
  const service = new PgQueryService(c.pool, {
    ...(options.now ? { now: options.now } : {}),
    ...(options.answerCacheBytes === undefined ? {} : { answerCacheBytes: options.answerCacheBytes }),
  });
  const clusters = new ClustersRepository(c.pool);
  const tokens = new TokensRepository(c.pool);
  const admin = new RepositoryAdminService(service, clusters, tokens, c.jobs, {
    from: 'api',
    root: 'manifestsRoot' in options ? options.manifestsRoot : env().manifestsRoot,
  });
  const config = env();
  const alerts = new RepositoryAlertService(c.pool, clusters, new ReceiverSealer(config.secretKey), config.publicUrl);
  const reports = reportServiceFromEnv(c.pool, options.now);
  // Schedules and runs go to the report queue (Redis); in the embedded mode (no Redis) runs are
  // carried out in this process and definitions run on demand only.
  const reportDefinitionRows = new ReportDefinitionsRepository(c.pool);
  const reportRuns = new ReportRunsRepository(c.pool);
  const reportQueue = c.redis ? createReportQueue(c.redis) : null;
  const inProcessReports = reportQueue
    ? null
    : new InProcessReportJobs(new DefinitionRunner(reportDefinitionRows, reportRuns, reports), log);
  const reportDefinitions = new ReportDefinitionService(
    reportDefinitionRows,
    reportRuns,
    clusters,
    reportQueue ? queuedReportJobs(reportQueue, c.redis!) : inProcessReports!,
    options.now,
  );
  const graphql = createGraphqlServer(service, admin, {
    alerts,
    reports,
    reportDefinitions,
    logError: (e) => log(`graphql: internal error: ${redact((e as Error)?.stack ?? String(e))}`),
  });
  let mounted = false;
  const redis = c.redis;
  let warming: Promise<void> | undefined;
  const warm = () => {
    warming ??= service
      .warmFirstPages()
      .catch((e: unknown) => log(`warming the dashboard's first page: ${redact(String(e))}`))
      .finally(() => (warming = undefined));
  };
  const every = options.warmFirstPagesEveryMs;
  const warmTimer = every === undefined ? undefined : setInterval(warm, every).unref();
  if (every !== undefined) warm();
  return {
    deps: {
      service,
      admin,
      alerts,
      reports,
      reportDefinitions,
      authenticate: tokenAuthenticator(tokens),
      readiness: storeChecks({ pool: c.pool, redis }),
      trustProxyHops: options.trustProxyHops ?? env().trustProxyHops,
      graphql: async (app, principalFromRequest) => {
        await mountGraphql(app, graphql, principalFromRequest);
        mounted = true;
      },
      ...(redis ? { rateStore: new RedisRateStore(redis), failedAuthStore: new RedisRateStore(redis) } : {}),
      log,
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.metrics ? { metrics: options.metrics } : {}),
    },
    async stop() {
      clearInterval(warmTimer);
      await warming;
      // The server is created with stopOnTerminationSignals: false, so this is the only stop.
      if (mounted) await graphql.stop();
      await reportQueue?.close();
      await inProcessReports?.close();
    },
  };
}
