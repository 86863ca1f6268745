import type { Queryable } from './db/pool.js';

export type ReportRunStatus = 'queued' | 'running' | 'done' | 'failed';

/** One row of `report_run`. */
export interface ReportRunRow {
  id: number;
  definitionId: number;
  status: ReportRunStatus;
  scheduled: boolean;
  jobId: string | null;
  requestedBy: string;
  periodFrom: Date;
  periodTo: Date;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
}

export interface NewReportRun {
  definitionId: number;
  requestedBy: string;
  periodFrom: Date;
  periodTo: Date;
  scheduled: boolean;
  /** A scheduled run's BullMQ job id (unique): the retried job finds the same run. */
  jobId: string | null;
}

const COLUMNS = `id, definition_id AS "definitionId", status, scheduled, job_id AS "jobId", requested_by AS "requestedBy",
  period_from AS "periodFrom", period_to AS "periodTo", created_at AS "createdAt", started_at AS "startedAt",
  finished_at AS "finishedAt", error`;

/** Runs of report definitions: asked for, running, done or failed, each with the period it covers. */
export class ReportRunsRepository {
  constructor(private readonly db: Queryable) {}

  async add(r: NewReportRun): Promise<ReportRunRow> {
    const { rows } = await this.db.query<ReportRunRow>(
      `INSERT INTO report_run (definition_id, requested_by, period_from, period_to, scheduled, job_id)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [r.definitionId, r.requestedBy, r.periodFrom, r.periodTo, r.scheduled, r.jobId],
    );
    return rows[0]!;
  }

  /** The run a scheduled job made, or a new one: a job retried after a crash keeps its first period. */
  async forJob(r: NewReportRun & { jobId: string }): Promise<ReportRunRow> {
    const { rows } = await this.db.query<ReportRunRow>(
      `INSERT INTO report_run (definition_id, requested_by, period_from, period_to, scheduled, job_id)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (job_id) DO NOTHING RETURNING ${COLUMNS}`,
      [r.definitionId, r.requestedBy, r.periodFrom, r.periodTo, r.scheduled, r.jobId],
    );
    if (rows[0]) return rows[0];
    return (await this.byJobId(r.jobId))!;
  }

  async byId(id: number): Promise<ReportRunRow | undefined> {
    const { rows } = await this.db.query<ReportRunRow>(`SELECT ${COLUMNS} FROM report_run WHERE id = $1`, [id]);
    return rows[0];
  }

  async byJobId(jobId: string): Promise<ReportRunRow | undefined> {
    const { rows } = await this.db.query<ReportRunRow>(`SELECT ${COLUMNS} FROM report_run WHERE job_id = $1`, [jobId]);
    return rows[0];
  }

  /** A definition's runs, newest first. */
  async latest(definitionId: number, limit: number): Promise<ReportRunRow[]> {
    const { rows } = await this.db.query<ReportRunRow>(
      `SELECT ${COLUMNS} FROM report_run WHERE definition_id = $1 ORDER BY id DESC LIMIT $2`,
      [definitionId, limit],
    );
    return rows;
  }

  /**
   * Marks the run running, unless it has finished: undefined then (a job delivered twice).
   * A run found running already is one whose worker stopped mid-run; it is taken over.
   */
  async start(id: number): Promise<ReportRunRow | undefined> {
    const { rows } = await this.db.query<ReportRunRow>(
      `UPDATE report_run SET status = 'running', started_at = COALESCE(started_at, now())
        WHERE id = $1 AND status IN ('queued', 'running') RETURNING ${COLUMNS}`,
      [id],
    );
    return rows[0];
  }

  /** Records how the run ended; a run already finished keeps its outcome. */
  async finish(id: number, status: 'done' | 'failed', error: string | null): Promise<void> {
    await this.db.query(
      `UPDATE report_run SET status = $2, error = $3, finished_at = now()
        WHERE id = $1 AND status IN ('queued', 'running')`,
      [id, status, error],
    );
  }
}
