import type { Queue } from 'bullmq';
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

/**
 * Who the admin commands act as: the operator, who holds the database credentials and so
 * could do anything anyway. A global admin, through the same checks as an API token.
 */
export const OPERATOR: Principal = { tokenId: 0, name: 'reachlog-cli', scopes: ['read', 'admin'], clusterIds: null };

/** What CLI admin commands talk to: the API's admin service, and the queue `snapshot --wait` watches. */
export interface Services {
  admin: AdminService;
  alerts: AlertService;
  queue: Queue<SnapshotJobData, SnapshotJobResult>;
}

/**
 * The one place the service's refusals become exit codes: an argument that does not parse is
 * a usage error (2); anything else it refuses (no such cluster, a name taken) is 1, its message.
 */
function asCliError(e: unknown): unknown {
  if (e instanceof ArgumentError) return new CliError(e.message, 2);
  if (e instanceof ServiceError) return new CliError(e.message, 1);
  return e;
}

export async function withServices<T>(fn: (s: Services) => Promise<T>): Promise<T> {
  const pool = createPool();
  const redis = createRedis();
  const queue = createSnapshotQueue(redis);
  const clusters = new ClustersRepository(pool);
  const admin = new RepositoryAdminService(
    createQueryService(pool),
    clusters,
    new TokensRepository(pool),
    queuedSnapshotJobs(queue),
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
    await queue.close();
    redis.disconnect();
    await pool.end();
  }
}
