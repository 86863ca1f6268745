import { reportedByConnection } from './snapshot-queue.js';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export const REPORT_QUEUE = 'reachlog-report';

/**
 * Jobs carry ids, never payloads. A scheduled job (its job scheduler's) names the definition:
 * the processor reads it as it is when the job runs and makes the run. A run asked for on
 * demand was made (with its period) before it was queued: its job names the run.
 */
export type ReportJobData = { definitionId: number } | { runId: number };

export const REPORT_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 30_000 },
  removeOnComplete: { count: 200 },
  removeOnFail: { count: 200 },
} as const;

export function createReportQueue(connection: Redis): Queue<ReportJobData> {
  const queue = new Queue<ReportJobData>(REPORT_QUEUE, { connection });
  queue.on('error', reportedByConnection);
  return queue;
}

/** The job scheduler of a scheduled report definition, by its id. */
export const reportSchedulerId = (definitionId: number) => `report-${definitionId}`;

/** One BullMQ job scheduler per scheduled definition, on its cron pattern; none for on-demand ones. */
export async function syncReportSchedule(
  queue: Queue<ReportJobData>,
  definition: { id: number; schedule: string | null },
): Promise<void> {
  if (definition.schedule === null) {
    await queue.removeJobScheduler(reportSchedulerId(definition.id));
    return;
  }
  await queue.upsertJobScheduler(
    reportSchedulerId(definition.id),
    { pattern: definition.schedule, tz: 'UTC' },
    { name: 'report', data: { definitionId: definition.id }, opts: REPORT_JOB_OPTIONS },
  );
}

export async function removeReportSchedule(queue: Queue<ReportJobData>, definitionId: number): Promise<void> {
  await queue.removeJobScheduler(reportSchedulerId(definitionId));
}

/** A run asked for now; its job id is the run's, so queueing it twice is one job. */
export async function enqueueReportRun(queue: Queue<ReportJobData>, runId: number): Promise<void> {
  await queue.add('run', { runId }, { ...REPORT_JOB_OPTIONS, jobId: `run-${runId}` });
}
