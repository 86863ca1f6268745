import type { Queue } from 'bullmq';
import type { ClusterRow } from '../clusters.repository.js';
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
  /** The cluster's schedule as registered: a snapshot every `everySeconds`, none while paused. */
  schedule(cluster: ClusterRow): Promise<void>;
  unschedule(clusterId: number): Promise<void>;
  /** A snapshot now; the id names the job in logs and in the snapshot row. */
  enqueue(clusterId: number): Promise<{ jobId: string }>;
}

export function queuedSnapshotJobs(queue: Queue<SnapshotJobData, SnapshotJobResult>): SnapshotJobs {
  return {
    schedule: (cluster) => syncSchedule(queue, cluster),
    unschedule: (clusterId) => removeSchedule(queue, clusterId),
    enqueue: async (clusterId) => ({ jobId: String((await enqueueSnapshot(queue, clusterId)).id) }),
  };
}
