import type { Queryable } from './db/pool.js';

/** One row of `report_definition`. */
export interface ReportDefinitionRow {
  id: number;
  name: string;
  type: string;
  clusters: string[];
  scope: Record<string, unknown>;
  options: Record<string, unknown>;
  period: string;
  schedule: string | null;
  formats: string[];
  createdAt: Date;
  lastRunTo: Date | null;
}

/** One row of `report_result`, without its content unless read for download. */
export interface ReportResultRow {
  id: number;
  definitionId: number;
  cluster: string;
  periodFrom: Date;
  periodTo: Date;
  createdAt: Date;
  format: string;
  filename: string;
  contentType: string;
  signature: unknown;
  error: string | null;
  /** The run that kept it; null for results kept before runs were recorded. */
  runId: number | null;
  content?: Buffer | null;
}

export type NewReportDefinition = Omit<ReportDefinitionRow, 'id' | 'createdAt' | 'lastRunTo'>;
export type NewReportResult = Omit<ReportResultRow, 'id' | 'createdAt'> & { content: Buffer | null };

interface DefinitionColumns {
  id: number;
  name: string;
  type: string;
  clusters: string[];
  scope: Record<string, unknown>;
  options: Record<string, unknown>;
  period: string;
  schedule: string | null;
  formats: string[];
  created_at: Date;
  last_run_to: Date | null;
}

const toDefinition = (r: DefinitionColumns): ReportDefinitionRow => ({
  id: r.id,
  name: r.name,
  type: r.type,
  clusters: r.clusters,
  scope: r.scope,
  options: r.options,
  period: r.period,
  schedule: r.schedule,
  formats: r.formats,
  createdAt: r.created_at,
  lastRunTo: r.last_run_to,
});

const RESULT_COLUMNS = `id, definition_id AS "definitionId", cluster, period_from AS "periodFrom", period_to AS "periodTo",
  created_at AS "createdAt", format, filename, content_type AS "contentType", signature, error, run_id AS "runId"`;

export class ReportNameTakenError extends Error {}

/** Stored report definitions and the results their runs kept. */
export class ReportDefinitionsRepository {
  constructor(private readonly db: Queryable) {}

  async add(d: NewReportDefinition): Promise<ReportDefinitionRow> {
    try {
      const { rows } = await this.db.query<DefinitionColumns>(
        `INSERT INTO report_definition (name, type, clusters, scope, options, period, schedule, formats)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [
          d.name,
          d.type,
          d.clusters,
          JSON.stringify(d.scope),
          JSON.stringify(d.options),
          d.period,
          d.schedule,
          d.formats,
        ],
      );
      return toDefinition(rows[0]!);
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw new ReportNameTakenError(d.name);
      throw e;
    }
  }

  async list(): Promise<ReportDefinitionRow[]> {
    const { rows } = await this.db.query<DefinitionColumns>('SELECT * FROM report_definition ORDER BY name');
    return rows.map(toDefinition);
  }

  async byName(name: string): Promise<ReportDefinitionRow | undefined> {
    const { rows } = await this.db.query<DefinitionColumns>('SELECT * FROM report_definition WHERE name = $1', [name]);
    return rows[0] && toDefinition(rows[0]);
  }

  async remove(name: string): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM report_definition WHERE name = $1', [name]);
    return (rowCount ?? 0) > 0;
  }

  /** Where the next scheduled run starts: set only when a run's results are stored. */
  async setLastRunTo(id: number, to: Date): Promise<void> {
    await this.db.query('UPDATE report_definition SET last_run_to = $2 WHERE id = $1', [id, to]);
  }

  /** Keeps a result; a run's result for a cluster and format is kept once (a retried run skips it). */
  async addResult(r: NewReportResult): Promise<number> {
    const { rows } = await this.db.query<{ id: number }>(
      `INSERT INTO report_result (definition_id, cluster, period_from, period_to, format, filename, content_type, content, signature, error, run_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (run_id, cluster, format) DO NOTHING RETURNING id`,
      [
        r.definitionId,
        r.cluster,
        r.periodFrom,
        r.periodTo,
        r.format,
        r.filename,
        r.contentType,
        r.content,
        r.signature === undefined || r.signature === null ? null : JSON.stringify(r.signature),
        r.error,
        r.runId,
      ],
    );
    if (rows[0]) return rows[0].id;
    const kept = await this.db.query<{ id: number }>(
      'SELECT id FROM report_result WHERE run_id = $1 AND cluster = $2 AND format = $3',
      [r.runId, r.cluster, r.format],
    );
    return kept.rows[0]!.id;
  }

  /** A run's results, without content, by cluster and format. */
  async runResults(runId: number): Promise<ReportResultRow[]> {
    const { rows } = await this.db.query<ReportResultRow>(
      `SELECT ${RESULT_COLUMNS} FROM report_result WHERE run_id = $1 ORDER BY cluster, format, id`,
      [runId],
    );
    return rows;
  }

  /** A definition by id (a queued job names it so). */
  async byId(id: number): Promise<ReportDefinitionRow | undefined> {
    const { rows } = await this.db.query<DefinitionColumns>('SELECT * FROM report_definition WHERE id = $1', [id]);
    return rows[0] && toDefinition(rows[0]);
  }

  /** A definition's results, newest first, without content. */
  async results(definitionId: number, limit: number): Promise<ReportResultRow[]> {
    const { rows } = await this.db.query<ReportResultRow>(
      `SELECT ${RESULT_COLUMNS} FROM report_result WHERE definition_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [definitionId, limit],
    );
    return rows;
  }

  /** One result with its content, for download. */
  async result(id: number): Promise<ReportResultRow | undefined> {
    const { rows } = await this.db.query<ReportResultRow>(
      `SELECT ${RESULT_COLUMNS}, content FROM report_result WHERE id = $1`,
      [id],
    );
    return rows[0];
  }
}
