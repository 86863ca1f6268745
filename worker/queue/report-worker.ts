import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { DefinitionRunner } from '../../api/services/reports/definition-runner.js';
import type { ReportService } from '../../api/services/reports/report-service.js';
import { redact } from '../../config/redact.js';
import { REPORT_QUEUE, type ReportJobData } from '../../store/queue/report-queue.js';
import { ReportDefinitionsRepository } from '../../store/report-definitions.repository.js';
import { ReportRunsRepository } from '../../store/report-runs.repository.js';
import { reportProcessor, type ReportJobResult } from './report.processor.js';

export interface ReportWorkerOptions {
  pool: pg.Pool;
  /** The worker's own connection (it blocks); closed by whoever made it. */
  connection: Redis;
  reports: ReportService;
  /** How long a run's lock lasts before a stopped worker's run is taken over by another. */
  lockDurationMs: number;
  log: (line: string) => void;
  /** Worker errors (a Redis outage) go here: one line per outage, not one per attempt. */
  errors: (line: string) => void;
}

/**
 * The report queue's consumer: one run at a time (reports read a lot of history). A run whose
 * job gives up (attempts spent, or its worker stopped mid-run more often than BullMQ allows)
 * is recorded as failed with the reason, so nobody polls a "running" run forever.
 */
export function startReportWorker(o: ReportWorkerOptions): Worker<ReportJobData, ReportJobResult> {
  const runner = new DefinitionRunner(
    new ReportDefinitionsRepository(o.pool),
    new ReportRunsRepository(o.pool),
    o.reports,
  );
  const worker = new Worker<ReportJobData, ReportJobResult>(REPORT_QUEUE, reportProcessor(runner), {
    connection: o.connection,
    concurrency: 1,
    lockDuration: o.lockDurationMs,
    stalledInterval: Math.max(1_000, Math.floor(o.lockDurationMs / 2)),
  });
  worker.on('error', (e) => o.errors(`report worker: ${redact(e.message || String(e))}`));
  worker.on('completed', (job, r) => {
    if (r.runId !== null) o.log(`report run ${r.runId} (job ${job.id}): ${r.status}`);
  });
  worker.on('failed', (job, e) => {
    if (!job) return;
    const what = 'runId' in job.data ? `report run ${job.data.runId}` : `report definition ${job.data.definitionId}`;
    const message = redact(e.message);
    // BullMQ counts the attempt before this event; a stalled job given up has no attempts left either.
    const final =
      e instanceof UnrecoverableError || /stalled/i.test(e.message) || job.attemptsMade >= (job.opts.attempts ?? 1);
    o.log(`${what} failed (attempt ${job.attemptsMade}${final ? ', given up' : ', retried'}): ${message}`);
    if (!final) return;
    const ids = 'runId' in job.data ? { runId: job.data.runId } : { jobId: job.id! };
    runner
      .fail(ids, `the report job gave up after ${job.attemptsMade} attempt(s): ${message}`)
      .catch((err: Error) => o.log(`could not record ${what} as failed: ${redact(err.message)}`));
  });
  return worker;
}
