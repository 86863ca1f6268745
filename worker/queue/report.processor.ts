import type { Job } from 'bullmq';
import type { ReportDefinitionService } from '../../api/services/reports/report-definitions.js';
import type { ReportJobData } from '../../store/queue/report-queue.js';

/** Runs a scheduled definition: its results are kept (failed ones too), and the next run starts where this one ended. */
export function reportProcessor(definitions: ReportDefinitionService) {
  return async (job: Job<ReportJobData>): Promise<{ results: number }> => {
    const results = await definitions.runScheduled(job.data.definitionId);
    return { results: results.length };
  };
}
