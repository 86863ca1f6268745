import type { Queue } from 'bullmq';
import type { ClusterRow } from '../../store/clusters.repository.js';
import {
  schedulerId,
  syncSchedule,
  type SnapshotJobData,
  type SnapshotJobResult,
} from '../../store/queue/snapshot-queue.js';

export interface ReconcileOutcome {
  /** Schedulers created or corrected (missing after Redis lost its data, or a changed interval). */
  restored: string[];
  /** Schedulers of clusters that are paused, removed or unknown. */
  removed: string[];
}

/**
 * Makes Redis's job schedulers match the clusters table, which is the truth: Redis may restart
 * empty or fail over, and a cluster without a scheduler is never snapshotted again. Leaves a
 * scheduler that is already right untouched, so its next run keeps its time.
 */
export async function reconcileSchedules(
  queue: Queue<SnapshotJobData, SnapshotJobResult>,
  clusters: readonly ClusterRow[],
): Promise<ReconcileOutcome> {
  const existing = new Map((await queue.getJobSchedulers(0, -1)).map((s) => [s.key, s]));
  const restored: string[] = [];
  const removed: string[] = [];
  const wanted = new Set<string>();
  for (const c of clusters) {
    if (c.paused) continue;
    const id = schedulerId(c.id);
    wanted.add(id);
    if (existing.get(id)?.every === c.everySeconds * 1000) continue;
    await syncSchedule(queue, c);
    restored.push(c.name);
  }
  for (const key of existing.keys()) {
    if (wanted.has(key)) continue;
    await queue.removeJobScheduler(key);
    removed.push(key);
  }
  return { restored, removed };
}
