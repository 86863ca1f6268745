import type { Job } from 'bullmq';
import type { DefinitionRunner } from '../../api/services/reports/definition-runner.js';
import type { ReportJobData } from '../../store/queue/report-queue.js';

export interface ReportJobResult {
  /** null: nothing to do (finished already, or the definition was removed). */
  runId: number | null;
  status: string;
}

/**
 * Carries out a run: one asked for (the job names the run) or a scheduled one (the job names
 * the definition; its run is made once per job id). Safe to run twice (DefinitionRunner).
 */
export function reportProcessor(runner: DefinitionRunner) {
  return async (job: Job<ReportJobData>): Promise<ReportJobResult> => {
    const run =
      'runId' in job.data
        ? await runner.execute(job.data.runId)
        : await runner.runScheduled(job.data.definitionId, job.id!);
    return { runId: run?.id ?? null, status: run?.status ?? 'skipped' };
  };
}
