import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { Pool } from 'pg';
import type { ClustersRepository } from '../../store/clusters.repository.js';
import type { SnapshotsRepository } from '../../store/snapshots.repository.js';
import { CollectFailure, inThisThread, type CollectAndStore } from '../snapshot/collect-and-store.js';
import { SnapshotThreadCrash } from '../snapshot/run-in-thread.js';
import type { ClusterNames } from './cluster-names.js';
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
  /** Where the heavy part runs: a worker thread (startWorker), else this thread on `pool`. */
  collectAndStore?: CollectAndStore;
  /** Told each cluster's name, for the log lines about its jobs. */
  names?: Pick<ClusterNames, 'remember'>;
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
    deps.names?.remember(cluster.id, cluster.name);
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
      const run = deps.collectAndStore ?? inThisThread(deps.pool);
      try {
        const outcome = await run(cluster, { jobId: job.id, startedAt: started }, (p) => job.updateProgress(p));
        if (outcome.alertDeliveries.length > 0)
          await deps.queueDeliveries?.(outcome.alertDeliveries).catch(() => undefined);
        return { ...outcome, counts: { ...outcome.counts } };
      } catch (e) {
        // Nothing of the snapshot was stored (one transaction); the attempt itself is recorded.
        if (e instanceof CollectFailure || e instanceof SnapshotThreadCrash) {
          await deps.snapshots
            .recordFailure(cluster.id, e.message, Date.now() - started, job.id)
            .catch(() => undefined);
        }
        throw e instanceof CollectFailure && e.permanent ? new UnrecoverableError(e.message) : e;
      }
    } finally {
      if (locked)
        await lock.query('SELECT pg_advisory_unlock($1, $2)', [JOB_LOCK_SPACE, cluster.id]).catch(() => undefined);
      lock.release();
    }
  };
}
