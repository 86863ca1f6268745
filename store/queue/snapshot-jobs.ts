import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ClusterRow } from '../clusters.repository.js';
import { boundedQueueOperation, ensureRedisReady } from './bounded-queue-operation.js';
import {
  enqueueSnapshot,
  removeSchedule,
  syncSchedule,
  type SnapshotJobData,
  type SnapshotJobResult,
} from './snapshot-queue.js';

/**
 * Where snapshot jobs go: BullMQ on Redis in a deployment, this process in the embedded mode.
 * The admin service and the CLI ask for snapshots through this, not through a queue.
 */
export interface SnapshotJobs {
  /**
   * Throws StoreUnavailableError unless a job operation would be carried out now: asked before
   * a write that needs one (registering a cluster), so that nothing is written when it cannot.
   */
  ensureAvailable(): void;
  /** The cluster's schedule as registered: a snapshot every `everySeconds`, none while paused. */
  schedule(cluster: ClusterRow): Promise<void>;
  unschedule(clusterId: number): Promise<void>;
  /** A snapshot now; the id names the job in logs and in the snapshot row. */
  enqueue(clusterId: number): Promise<{ jobId: string }>;
}

/**
 * BullMQ's queue over `connection` (the queue's own): every operation fails at once with a
 * 503-worthy StoreUnavailableError when Redis is not connected (boundedQueueOperation).
 */
export function queuedSnapshotJobs(
  queue: Queue<SnapshotJobData, SnapshotJobResult>,
  connection: Pick<Redis, 'status'>,
): SnapshotJobs {
  const ensureAvailable = () => ensureRedisReady(connection);
  const bounded = <T>(work: () => Promise<T>): Promise<T> => boundedQueueOperation(connection, work);
  return {
    ensureAvailable,
    schedule: (cluster) => bounded(() => syncSchedule(queue, cluster)),
    unschedule: (clusterId) => bounded(() => removeSchedule(queue, clusterId)),
    enqueue: (clusterId) => bounded(async () => ({ jobId: String((await enqueueSnapshot(queue, clusterId)).id) })),
  };
}
