import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { ArgumentError } from '../arguments/argument-error.js';
import { RepositoryAdminService, type AdminService } from '../api/services/admin-service.js';
import { createQueryService } from '../api/services/postgres-query-service.js';
import { ServiceError, type Principal } from '../api/services/query-service.js';
import { ClustersRepository } from '../store/clusters.repository.js';
import { createPool } from '../store/db/pool.js';
import { queuedSnapshotJobs } from '../store/queue/snapshot-jobs.js';
import { createRedis } from '../store/queue/redis-connection.js';
import { createSnapshotQueue, type SnapshotJobData, type SnapshotJobResult } from '../store/queue/snapshot-queue.js';
import { TokensRepository } from '../store/tokens.repository.js';
import { RepositoryAlertService, type AlertService } from '../api/services/alert-service.js';
import { env } from '../config/env.js';
import { ReceiverSealer } from '../store/receiver-secret.js';
import { CliError } from './cli-error.js';
import { checkPostgres, checkRedis, where } from './choose-services.js';
import { redact } from '../config/redact.js';
import { type SnapshotJobs } from '../store/queue/snapshot-jobs.js';
import { outageOf } from '../store/unavailable.js';

/**
 * Who the admin commands act as: the operator, who holds the database credentials and so
 * could do anything anyway. A global admin, through the same checks as an API token.
 */
export const OPERATOR: Principal = { tokenId: 0, name: 'reachlog-cli', scopes: ['read', 'admin'], clusterIds: null };

/** What CLI admin commands talk to: the API's admin service, and the queue `snapshot --wait` watches. */
export interface Services {
  admin: AdminService;
  alerts: AlertService;
  /** Undefined unless the command asked for Redis. */
  queue: Queue<SnapshotJobData, SnapshotJobResult> | undefined;
}

/**
 * The one place the service's refusals become exit codes: an argument that does not parse is
 * a usage error (2); anything else it refuses (no such cluster, a name taken) is 1, its message.
 */
function asCliError(e: unknown): unknown {
  if (e instanceof ArgumentError) return new CliError(e.message, 2);
  if (e instanceof ServiceError) return new CliError(e.message, 1);
  return outageAsCliError(e) ?? unmigratedAsCliError(e) ?? e;
}

/** Postgres's codes for a database that is not there (3D000) and a table that is not (42P01). */
const NOT_SET_UP = new Set(['3D000', '42P01']);

/** A database never created or migrated: one line saying what to run, not a stack. Also used by main. */
export function unmigratedAsCliError(e: unknown): CliError | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !NOT_SET_UP.has(code)) return undefined;
  return new CliError(
    `the database at ${where(env().databaseUrl)} (DATABASE_URL) is not set up: ${redact((e as Error).message)}; run \`reachlog migrate\``,
    1,
  );
}

/**
 * A store that stopped answering mid-command, as one line naming it and its variable. Also
 * used by main for commands that open their own connections (api, worker).
 */
export function outageAsCliError(e: unknown): CliError | undefined {
  const outage = outageOf(e);
  if (!outage) return undefined;
  const [name, variable, url] =
    outage.service === 'postgres'
      ? ['Postgres', 'DATABASE_URL', env().databaseUrl]
      : ['Redis', 'REDIS_URL', env().redisUrl];
  return new CliError(`cannot reach ${name} at ${where(url)} (${variable}): ${redact(outage.message)}`, 1);
}

export interface ServiceNeeds {
  /**
   * Whether the command schedules or queues snapshots. Those that only read or manage tokens do
   * not: `cluster list` must show which clusters are overdue while Redis is down.
   */
  redis: boolean;
}

const noRedis = () => new Error('this command does not use Redis');

/** For commands that never queue: asked anyway, it says so instead of waiting for a Redis. */
const NO_QUEUE: SnapshotJobs = {
  ensureAvailable() {
    throw noRedis();
  },
  schedule: () => Promise.reject(noRedis()),
  unschedule: () => Promise.reject(noRedis()),
  enqueue: () => Promise.reject(noRedis()),
};

/**
 * Waits (5 s at most) until `redis` is connected: writes ask whether Redis is connected (not
 * connecting) before they write.
 */
export async function redisConnected(redis: Redis, url: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new CliError(`cannot reach Redis at ${where(url)} (REDIS_URL): no answer in 5 s`, 1)),
      5_000,
    );
  });
  try {
    await Promise.race([redis.ping(), timeout]);
  } catch (e) {
    redis.disconnect();
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs an admin command against the configured stores, each checked first: one that does not
 * answer is one line naming it and its variable (exit 1), not a stack or a wait forever.
 */
export async function withServices<T>(
  fn: (s: Services) => Promise<T>,
  needs: ServiceNeeds = { redis: true },
): Promise<T> {
  const { databaseUrl, redisUrl } = env();
  await checkPostgres(databaseUrl);
  if (needs.redis) await checkRedis(redisUrl);
  const pool = createPool(databaseUrl);
  const redis = needs.redis ? createRedis(redisUrl) : undefined;
  const queue = redis && createSnapshotQueue(redis);
  // Writes ask whether Redis is connected (not connecting) before they write: let it connect.
  if (redis) await redisConnected(redis, redisUrl);
  const clusters = new ClustersRepository(pool);
  const admin = new RepositoryAdminService(
    createQueryService(pool),
    clusters,
    new TokensRepository(pool),
    queue && redis ? queuedSnapshotJobs(queue, redis) : NO_QUEUE,
    // The operator on the worker's host: local directories, resolved against where they stand.
    { from: 'operator', cwd: process.cwd() },
  );
  const config = env();
  const alerts = new RepositoryAlertService(pool, clusters, new ReceiverSealer(config.secretKey), config.publicUrl);
  try {
    return await fn({ admin, alerts, queue });
  } catch (e) {
    throw asCliError(e);
  } finally {
    await queue?.close();
    redis?.disconnect();
    await pool.end();
  }
}
