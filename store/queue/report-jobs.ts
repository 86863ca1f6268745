import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { boundedQueueOperation, ensureRedisReady } from './bounded-queue-operation.js';
import { enqueueReportRun, removeReportSchedule, syncReportSchedule, type ReportJobData } from './report-queue.js';

/**
 * Where report definitions' schedules and runs go: BullMQ's report queue in a deployment, this
 * process in the embedded mode. The definition service asks through this, not through a queue.
 */
export interface ReportJobs {
  /**
   * Throws StoreUnavailableError unless a job operation would be carried out now: asked before
   * a write that needs one, so that nothing is written when it cannot be.
   */
  ensureAvailable(): void;
  /** The definition's job scheduler on its cron pattern; none when it has no schedule. */
  schedule(definition: { id: number; schedule: string | null }): Promise<void>;
  unschedule(definitionId: number): Promise<void>;
  /** Queues a run already recorded (report_run). */
  enqueueRun(runId: number): Promise<void>;
}

/** The report queue over `connection` (the queue's own); every operation bounded as the snapshot queue's are. */
export function queuedReportJobs(queue: Queue<ReportJobData>, connection: Pick<Redis, 'status'>): ReportJobs {
  const bounded = <T>(work: () => Promise<T>): Promise<T> => boundedQueueOperation(connection, work);
  return {
    ensureAvailable: () => ensureRedisReady(connection),
    schedule: (definition) => bounded(() => syncReportSchedule(queue, definition)),
    unschedule: (definitionId) => bounded(() => removeReportSchedule(queue, definitionId)),
    enqueueRun: (runId) => bounded(() => enqueueReportRun(queue, runId)),
  };
}
