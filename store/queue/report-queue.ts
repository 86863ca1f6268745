import { reportedByConnection } from './snapshot-queue.js';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export const REPORT_QUEUE = 'reachlog-report';

/** Jobs carry the definition's id: the processor reads the definition as it is when the job runs. */
export interface ReportJobData {
  definitionId: number;
}

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
