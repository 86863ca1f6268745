import type { ReportDefinitionRow, ReportResultRow } from '../../../store/report-definitions.repository.js';
import type { ReportRunRow, ReportRunStatus } from '../../../store/report-runs.repository.js';

/**
 * Stored definitions, runs and results as every edge shows them (REST bodies, GraphQL types,
 * the CLI's lines), with the API paths that fetch a run's status and a result's file: GraphQL
 * has no file download, so its links point at the REST routes too.
 */

export const resultDownloadPath = (id: number) => `/api/v1/report-results/${id}`;
export const runStatusPath = (definition: string, runId: number) =>
  `/api/v1/reports/${encodeURIComponent(definition)}/runs/${runId}`;

/** A kept result as listed: its file is downloaded by id. */
export interface ReportResultSummary {
  id: number;
  cluster: string;
  periodFrom: string;
  periodTo: string;
  createdAt: string;
  format: string;
  filename: string;
  signed: boolean;
  error: string | null;
  /** Where the file is downloaded (its signature in X-Reachlog-Signature); null when this result failed. */
  downloadUrl: string | null;
}

export interface ReportDefinitionView {
  name: string;
  type: string;
  clusters: string[];
  scope: unknown;
  options: unknown;
  period: string;
  schedule: string | null;
  formats: string[];
  createdAt: string;
  lastRunTo: string | null;
}

/** A run and, once it is done or failed, what it kept. */
export interface ReportRunView {
  id: number;
  definition: string;
  /** queued, running, done or failed. */
  status: ReportRunStatus;
  scheduled: boolean;
  requestedBy: string;
  periodFrom: string;
  periodTo: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Why it failed: each failed result (cluster, format, reason), or the job's own error. */
  error: string | null;
  /** Where to ask for this run's status. */
  statusUrl: string;
  results: ReportResultSummary[];
}

export const definitionView = (d: ReportDefinitionRow): ReportDefinitionView => ({
  name: d.name,
  type: d.type,
  clusters: d.clusters,
  scope: d.scope,
  options: d.options,
  period: d.period,
  schedule: d.schedule,
  formats: d.formats,
  createdAt: d.createdAt.toISOString(),
  lastRunTo: d.lastRunTo?.toISOString() ?? null,
});

export const resultSummary = (r: ReportResultRow): ReportResultSummary => ({
  id: r.id,
  cluster: r.cluster,
  periodFrom: r.periodFrom.toISOString(),
  periodTo: r.periodTo.toISOString(),
  createdAt: r.createdAt.toISOString(),
  format: r.format,
  filename: r.filename,
  signed: r.signature !== null && r.signature !== undefined,
  error: r.error,
  downloadUrl: r.error === null ? resultDownloadPath(r.id) : null,
});

export const runView = (definition: string, r: ReportRunRow, results: readonly ReportResultRow[]): ReportRunView => ({
  id: r.id,
  definition,
  status: r.status,
  scheduled: r.scheduled,
  requestedBy: r.requestedBy,
  periodFrom: r.periodFrom.toISOString(),
  periodTo: r.periodTo.toISOString(),
  createdAt: r.createdAt.toISOString(),
  startedAt: r.startedAt?.toISOString() ?? null,
  finishedAt: r.finishedAt?.toISOString() ?? null,
  error: r.error,
  statusUrl: runStatusPath(definition, r.id),
  results: results.map(resultSummary),
});
