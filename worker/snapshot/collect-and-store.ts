import type { Pool } from '../../store/db/pool.js';
import type { ClusterRow } from '../../store/clusters.repository.js';
import { collectSource } from '../collect/collect-source.js';
import { KubeApiError, type KubeFailure } from '../collect/kube-api-error.js';
import { KubeConfigError } from '../collect/kube-config.js';
import { ManifestPathError } from '../../input/manifest-files.js';
import { ManifestSourceError } from '../../input/manifest-source.js';
import { storeSnapshot, type SnapshotOutcome } from './store-snapshot.js';

/** Which job a snapshot belongs to, and when the job started (its duration counts from then). */
export interface SnapshotRun {
  jobId: string | undefined;
  startedAt: number;
}

export type ReportProgress = (progress: Record<string, unknown>) => Promise<void> | void;

/** The cluster could not be read; `permanent` when only a person can fix it (retrying would not help). */
export class CollectFailure extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'CollectFailure';
  }
}

/**
 * Collects a cluster and stores it as a snapshot: the heavy part of a snapshot job, run in a
 * worker thread by the BullMQ worker (run-in-thread.ts) and in the calling thread by the
 * embedded mode (whose store has a single connection).
 */
export type CollectAndStore = (
  cluster: ClusterRow,
  run: SnapshotRun,
  progress: ReportProgress,
) => Promise<SnapshotOutcome>;

/** collect → normalize → store → compute → diff → record, on `pool`. */
export async function collectAndStore(
  pool: Pool,
  cluster: ClusterRow,
  run: SnapshotRun,
  progress: ReportProgress,
): Promise<SnapshotOutcome> {
  let collected;
  try {
    collected = await collectSource(cluster);
  } catch (e) {
    throw new CollectFailure((e as Error).message, retryWillNotHelp(e));
  }
  await progress({ stage: 'store', objects: collected.objects.length });
  return storeSnapshot(pool, cluster.id, collected.objects, {
    jobId: run.jobId,
    startedAt: run.startedAt,
    readErrors: collected.errors,
    acceptedByApiServer: collected.acceptedByApiServer,
  });
}

/** In the calling thread, on its pool. */
export function inThisThread(pool: Pool): CollectAndStore {
  return (cluster, run, progress) => collectAndStore(pool, cluster, run, progress);
}

/**
 * Failures that only a person fixes: refused credentials, missing RBAC, an untrusted certificate,
 * a manifests directory that is missing or holds no manifests, or one the worker may not read.
 */
const REFUSED: ReadonlySet<KubeFailure> = new Set(['unauthorized', 'forbidden', 'credentials', 'tls']);

/**
 * The collector has already retried what may recover; for these, the job's own retries would
 * only repeat the refusal (and record it four more times). The next scheduled snapshot tries again.
 */
function retryWillNotHelp(e: unknown): boolean {
  return (
    (e instanceof KubeApiError && REFUSED.has(e.failure)) ||
    e instanceof KubeConfigError ||
    e instanceof ManifestPathError ||
    e instanceof ManifestSourceError
  );
}
