import ms from 'ms';
import type {
  ReportDefinitionRow,
  ReportDefinitionsRepository,
  ReportResultRow,
} from '../../../store/report-definitions.repository.js';
import type { ReportRunsRepository } from '../../../store/report-runs.repository.js';
import { outageOf } from '../../../store/unavailable.js';
import type { Principal } from '../query-service.js';
import type { ReportService } from './report-service.js';
import { runView, type ReportRunView } from './report-views.js';

/** The system principal runs act as: every cluster (whoever asked for a run was authorized then). */
export const SCHEDULER: Principal = {
  tokenId: 0,
  name: 'reachlog-scheduler',
  scopes: ['read', 'admin'],
  clusterIds: null,
};

/** The period a run of `d` made at `now` covers: its `period` back, or since the previous scheduled run. */
export function periodOf(d: ReportDefinitionRow, now: Date, scheduled: boolean): { from: Date; to: Date } {
  const from = scheduled && d.lastRunTo ? d.lastRunTo : new Date(now.getTime() - ms(d.period as ms.StringValue));
  return { from, to: now };
}

const key = (cluster: string, format: string) => `${cluster}\u0000${format}`;

/**
 * What the report queue's processor does with a run: one report per cluster, rendered in each
 * format, kept (a failure too: "the report due at T could not be made" is an audit fact).
 * Safe to run twice: a run already finished is left alone, and a run whose worker stopped
 * mid-way keeps what it had kept and makes only the rest, over the same period.
 */
export class DefinitionRunner {
  constructor(
    private readonly definitions: ReportDefinitionsRepository,
    private readonly runs: ReportRunsRepository,
    private readonly reports: ReportService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Carries out a recorded run; undefined when it had finished already or its definition is gone. */
  async execute(runId: number): Promise<ReportRunView | undefined> {
    const run = await this.runs.start(runId);
    if (!run) return undefined;
    const d = await this.definitions.byId(run.definitionId);
    if (!d) return undefined; // removed meanwhile: its runs went with it
    const kept = new Set((await this.definitions.runResults(run.id)).map((r) => key(r.cluster, r.format)));
    for (const cluster of d.clusters) {
      const missing = d.formats.filter((f) => !kept.has(key(cluster, f)));
      if (missing.length === 0) continue;
      const keep = (
        format: string,
        made: { filename: string; contentType: string; bytes: Buffer; signature: unknown } | Error,
      ) =>
        this.definitions.addResult({
          definitionId: d.id,
          runId: run.id,
          cluster,
          periodFrom: run.periodFrom,
          periodTo: run.periodTo,
          format,
          ...(made instanceof Error
            ? { filename: '', contentType: '', content: null, signature: null, error: made.message }
            : {
                filename: made.filename,
                contentType: made.contentType,
                content: made.bytes,
                signature: made.signature ?? null,
                error: null,
              }),
        });
      let report;
      try {
        report = await this.reports.run(SCHEDULER, {
          type: d.type,
          cluster,
          from: run.periodFrom.toISOString(),
          to: run.periodTo.toISOString(),
          scope: d.scope,
          options: d.options,
        });
      } catch (e) {
        if (!isReportFailure(e)) throw e;
        for (const format of missing) await keep(format, e);
        continue;
      }
      for (const format of missing) {
        let made;
        try {
          made = await this.reports.render(report, format);
        } catch (e) {
          if (!isReportFailure(e)) throw e;
          made = e;
        }
        await keep(format, made);
      }
    }
    const results = await this.definitions.runResults(run.id);
    if (run.scheduled) await this.definitions.setLastRunTo(d.id, run.periodTo);
    const failed = results.filter((r) => r.error !== null);
    await this.runs.finish(run.id, failed.length ? 'failed' : 'done', failed.length ? failureReason(failed) : null);
    return runView(d.name, (await this.runs.byId(run.id))!, results);
  }

  /** A scheduled job's run: made by the job's first attempt, found again by a retry. */
  async runScheduled(definitionId: number, jobId: string): Promise<ReportRunView | undefined> {
    const d = await this.definitions.byId(definitionId);
    if (!d) return undefined; // removed since it was queued
    const { from, to } = periodOf(d, this.now(), true);
    const run = await this.runs.forJob({
      definitionId,
      requestedBy: SCHEDULER.name,
      periodFrom: from,
      periodTo: to,
      scheduled: true,
      jobId,
    });
    return this.execute(run.id);
  }

  /** The run's job gave up (attempts spent, or its worker stopped once too often): the run failed, saying why. */
  async fail(job: { runId: number } | { jobId: string }, reason: string): Promise<void> {
    const runId = 'runId' in job ? job.runId : (await this.runs.byJobId(job.jobId))?.id;
    if (runId !== undefined) await this.runs.finish(runId, 'failed', reason);
  }
}

/**
 * A report that could not be made (no such cluster any more, no browser for the PDF), as
 * opposed to a store that stopped answering: the former is kept as a failed result; the latter
 * fails the job, which BullMQ retries.
 */
function isReportFailure(e: unknown): e is Error {
  return e instanceof Error && outageOf(e) === undefined;
}

function failureReason(failed: readonly ReportResultRow[]): string {
  return failed.map((r) => `${r.cluster} ${r.format}: ${r.error}`).join('; ');
}
