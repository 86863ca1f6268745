import type { Queue } from 'bullmq';
import type { ClusterRow } from '../../store/clusters.repository.js';
import { scheduleSweep, SWEEP_SCHEDULER, type AlertJobData } from '../../store/queue/alert-queue.js';
import { reportSchedulerId, syncReportSchedule, type ReportJobData } from '../../store/queue/report-queue.js';
import type { ReportDefinitionRow } from '../../store/report-definitions.repository.js';
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

/**
 * The alert sweep's scheduler and the scheduled reports', created where missing (Redis lost its
 * data); the ones present are left alone, so their next runs keep their times. Returns what
 * was restored, for the log.
 */
export async function restoreOtherSchedulers(
  alerts: { queue: Queue<AlertJobData>; sweepEveryMs: number },
  reports: {
    queue: Queue<ReportJobData>;
    definitions: readonly Pick<ReportDefinitionRow, 'id' | 'name' | 'schedule'>[];
  },
): Promise<string[]> {
  const restored: string[] = [];
  if (!(await alerts.queue.getJobScheduler(SWEEP_SCHEDULER))) {
    await scheduleSweep(alerts.queue, alerts.sweepEveryMs);
    restored.push('the alert sweep');
  }
  const existing = new Set((await reports.queue.getJobSchedulers(0, -1)).map((s) => s.key));
  for (const d of reports.definitions) {
    if (d.schedule === null || existing.has(reportSchedulerId(d.id))) continue;
    await syncReportSchedule(reports.queue, d);
    restored.push(`report ${d.name}`);
  }
  return restored;
}
