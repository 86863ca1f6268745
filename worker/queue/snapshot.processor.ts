import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { Pool } from 'pg';
import { collectSource } from '../collect/collect-source.js';
import { KubeApiError, type KubeFailure } from '../collect/kube-api-error.js';
import { KubeConfigError } from '../collect/kube-config.js';
import type { ClustersRepository } from '../../store/clusters.repository.js';
import type { SnapshotsRepository } from '../../store/snapshots.repository.js';
import { storeSnapshot } from '../snapshot/store-snapshot.js';
import type { SnapshotJobData, SnapshotJobResult } from '../../store/queue/snapshot-queue.js';

/** What the processor uses of a BullMQ job, so that the embedded mode's runner can hand it one too. */
export type SnapshotJob = Pick<
  Job<SnapshotJobData, SnapshotJobResult>,
  'id' | 'data' | 'updateProgress' | 'moveToDelayed'
>;

export interface ProcessorDeps {
  pool: Pool;
  clusters: ClustersRepository;
  snapshots: SnapshotsRepository;
  /** How long a job for a busy cluster waits before trying again. */
  busyRetryMs?: number;
  /**
   * Hands the snapshot's new alert deliveries to their sender, after COMMIT. A failure here
   * loses nothing: the rows are in the outbox and the sweep queues them.
   */
  queueDeliveries?: (deliveryIds: string[]) => Promise<void>;
}

/** Held for the whole job so that at most one job per cluster runs, whichever worker has it. */
const JOB_LOCK_SPACE = 0x6a6f6273; // "jobs"

/**
 * collect → normalize → store → compute → diff → record, for one cluster. Safe to run twice:
 * the store step is one transaction, so a retry after a crash starts from a clean slate.
 */
export function snapshotProcessor(deps: ProcessorDeps) {
  return async (job: SnapshotJob, token?: string): Promise<SnapshotJobResult> => {
    const cluster = await deps.clusters.findById(job.data.clusterId);
    if (!cluster) throw new UnrecoverableError(`cluster ${job.data.clusterId} is not registered (removed?)`);
    const lock = await deps.pool.connect();
    let locked = false;
    try {
      const { rows } = await lock.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [
        JOB_LOCK_SPACE,
        cluster.id,
      ]);
      locked = rows[0]!.ok;
      if (!locked) {
        await job.moveToDelayed(Date.now() + (deps.busyRetryMs ?? 5_000), token);
        throw new DelayedError();
      }
      const started = Date.now();
      await job.updateProgress({ stage: 'collect' });
      let collected;
      try {
        collected = await collectSource(cluster);
      } catch (e) {
        await deps.snapshots
          .recordFailure(cluster.id, (e as Error).message, Date.now() - started, job.id)
          .catch(() => undefined);
        throw retryWillNotHelp(e) ? new UnrecoverableError((e as Error).message) : e;
      }
      await job.updateProgress({ stage: 'store', objects: collected.objects.length });
      const outcome = await storeSnapshot(deps.pool, cluster.id, collected.objects, {
        jobId: job.id,
        startedAt: started,
        readErrors: collected.errors,
        acceptedByApiServer: collected.acceptedByApiServer,
      });
      if (outcome.alertDeliveries.length > 0)
        await deps.queueDeliveries?.(outcome.alertDeliveries).catch(() => undefined);
      return { ...outcome, counts: { ...outcome.counts } };
    } finally {
      if (locked)
        await lock.query('SELECT pg_advisory_unlock($1, $2)', [JOB_LOCK_SPACE, cluster.id]).catch(() => undefined);
      lock.release();
    }
  };
}

/** Failures that only a person fixes: refused credentials, missing RBAC, an untrusted certificate. */
const REFUSED: ReadonlySet<KubeFailure> = new Set(['unauthorized', 'forbidden', 'credentials', 'tls']);

/**
 * The collector has already retried what may recover; for these, the job's own retries would
 * only repeat the refusal (and record it four more times). The next scheduled snapshot tries again.
 */
function retryWillNotHelp(e: unknown): boolean {
  return (e instanceof KubeApiError && REFUSED.has(e.failure)) || e instanceof KubeConfigError;
}
