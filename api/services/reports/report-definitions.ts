import { CronExpressionParser } from 'cron-parser';
import ms from 'ms';
import { parseName } from '../../../arguments/name.js';
import type { ClustersRepository } from '../../../store/clusters.repository.js';
import type { ReportJobs } from '../../../store/queue/report-jobs.js';
import {
  ReportNameTakenError,
  type ReportDefinitionRow,
  type ReportDefinitionsRepository,
} from '../../../store/report-definitions.repository.js';
import type { ReportRunsRepository } from '../../../store/report-runs.repository.js';
import { authorizeRead, visibleCluster } from '../access.js';
import { ServiceError, type Principal } from '../query-service.js';
import { parseControlOptions } from './controls-report.js';
import { isReportFormat, REPORT_FORMATS } from './render/index.js';
import { isReportType, REPORT_TYPES } from './report.js';
import { periodOf } from './definition-runner.js';
import { parseScope } from './report-service.js';
import {
  definitionView as view,
  resultSummary as summary,
  runView,
  type ReportDefinitionView,
  type ReportResultSummary,
  type ReportRunView,
} from './report-views.js';

/** A definition as REST bodies, GraphQL inputs and the CLI give it. */
export interface ReportDefinitionInput {
  name: unknown;
  type: unknown;
  clusters: unknown;
  scope?: unknown;
  options?: unknown;
  /** How far back a run looks (7d); a scheduled run after the first covers the time since the previous one. */
  period?: unknown;
  /** Cron (UTC), e.g. `0 6 * * 1`; absent: on demand only. */
  schedule?: unknown;
  formats?: unknown;
}

export type { ReportDefinitionView, ReportResultSummary, ReportRunView } from './report-views.js';

function requireAdmin(p: Principal): void {
  authorizeRead(p);
  if (!p.scopes.includes('admin')) throw new ServiceError('FORBIDDEN', `token ${p.name} lacks the admin scope`);
}

function bad(message: string): never {
  throw new ServiceError('BAD_USER_INPUT', message);
}

/**
 * Stored report definitions: added, removed and run by admins, listed and read by readers of
 * their clusters. A run is recorded and queued here; the report queue's worker carries it out
 * (DefinitionRunner), so asking for one never waits for a report to render.
 */
export class ReportDefinitionService {
  constructor(
    private readonly definitions: ReportDefinitionsRepository,
    private readonly runs: ReportRunsRepository,
    private readonly clusters: ClustersRepository,
    /** Where schedules and runs go; absent where nothing runs them (a process reading definitions only). */
    private readonly jobs?: ReportJobs,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async add(p: Principal, input: ReportDefinitionInput): Promise<ReportDefinitionView> {
    requireAdmin(p);
    const name = parseName(input.name, 'name');
    if (!isReportType(input.type)) bad(`type ${JSON.stringify(input.type)}: one of ${REPORT_TYPES.join(', ')}`);
    const clusters = input.clusters;
    if (!Array.isArray(clusters) || clusters.length === 0 || clusters.some((c) => typeof c !== 'string')) {
      bad('clusters: expected a non-empty list of cluster names');
    }
    for (const c of clusters as string[]) await visibleCluster(this.clusters, p, c);
    const period = input.period ?? '7d';
    if (
      typeof period !== 'string' ||
      typeof ms(period as ms.StringValue) !== 'number' ||
      !(ms(period as ms.StringValue) > 0)
    ) {
      bad(`period ${JSON.stringify(period)}: expected a duration such as 24h or 7d`);
    }
    const schedule = input.schedule ?? null;
    if (schedule !== null) {
      if (typeof schedule !== 'string') bad('schedule: expected a cron expression');
      try {
        CronExpressionParser.parse(schedule as string, { tz: 'UTC' });
      } catch (e) {
        bad(`schedule ${JSON.stringify(schedule)}: not a cron expression (${(e as Error).message})`);
      }
    }
    const formats = input.formats ?? ['json'];
    if (!Array.isArray(formats) || formats.length === 0 || formats.some((f) => !isReportFormat(f))) {
      bad(`formats ${JSON.stringify(formats)}: a non-empty list of ${REPORT_FORMATS.join(', ')}`);
    }
    const scope = parseScope(input.scope);
    const options = input.type === 'controls' ? parseControlOptions(input.options) : {};
    // A schedule lives in Redis: refused before anything is written when it cannot be set.
    if (schedule !== null) this.jobs?.ensureAvailable();
    let row: ReportDefinitionRow;
    try {
      row = await this.definitions.add({
        name,
        type: input.type as string,
        clusters: clusters as string[],
        scope: scope as Record<string, unknown>,
        options: options as Record<string, unknown>,
        period: period as string,
        schedule: schedule as string | null,
        formats: formats as string[],
      });
    } catch (e) {
      if (e instanceof ReportNameTakenError) bad(`a report definition named ${name} exists`);
      throw e;
    }
    try {
      // A new on-demand definition has no scheduler to set (nor one to remove).
      if (row.schedule !== null) await this.jobs?.schedule(row);
    } catch (e) {
      // Redis dropped between the check and the write: no definition without its schedule.
      await this.definitions.remove(row.name);
      throw e;
    }
    return view(row);
  }

  /** Definitions whose clusters the principal may all see. */
  async list(p: Principal): Promise<ReportDefinitionView[]> {
    authorizeRead(p);
    const all = await this.definitions.list();
    const visible = await Promise.all(all.map((d) => this.visible(p, d)));
    return all.filter((_, i) => visible[i]).map(view);
  }

  private async visible(p: Principal, d: ReportDefinitionRow): Promise<boolean> {
    if (p.clusterIds === null) return true;
    for (const c of d.clusters) if (!(await this.clusters.byName(c, p.clusterIds))) return false;
    return true;
  }

  private async definition(p: Principal, name: string): Promise<ReportDefinitionRow> {
    authorizeRead(p);
    const d = await this.definitions.byName(name);
    if (!d || !(await this.visible(p, d)))
      throw new ServiceError('NOT_FOUND', `report definition ${JSON.stringify(name)} not found`);
    return d;
  }

  /** A definition, its latest kept results and its latest runs. */
  async get(
    p: Principal,
    name: string,
  ): Promise<{ definition: ReportDefinitionView; results: ReportResultSummary[]; runs: ReportRunView[] }> {
    const d = await this.definition(p, name);
    const runs = await this.runs.latest(d.id, 20);
    return {
      definition: view(d),
      results: (await this.definitions.results(d.id, 50)).map(summary),
      runs: runs.map((r) => runView(d.name, r, [])),
    };
  }

  async remove(p: Principal, name: string): Promise<void> {
    requireAdmin(p);
    const d = await this.definition(p, name);
    if (d.schedule !== null) this.jobs?.ensureAvailable();
    await this.definitions.remove(name);
    await this.jobs?.unschedule(d.id);
  }

  /**
   * Asks for a run now: recorded (queued, its period fixed: `period` back from now) and queued
   * on the report queue; the caller follows it by its id. Refused with nothing written when the
   * queue cannot take it (Redis down: StoreUnavailableError, a 503).
   */
  async requestRun(p: Principal, name: string): Promise<ReportRunView> {
    requireAdmin(p);
    const d = await this.definition(p, name);
    if (!this.jobs) throw new Error('report runs are not served by this process (no report queue)');
    this.jobs.ensureAvailable();
    const { from, to } = periodOf(d, this.now(), false);
    const run = await this.runs.add({
      definitionId: d.id,
      requestedBy: p.name,
      periodFrom: from,
      periodTo: to,
      scheduled: false,
      jobId: null,
    });
    try {
      await this.jobs.enqueueRun(run.id);
    } catch (e) {
      // Redis dropped after the check: the run says so instead of waiting for a job never queued.
      await this.runs.finish(run.id, 'failed', `not queued: ${(e as Error).message}`);
      throw e;
    }
    return runView(d.name, run, []);
  }

  /** A run of a definition the principal may see: its status, and its results once finished. */
  async getRun(p: Principal, name: string, runId: number): Promise<ReportRunView> {
    const d = await this.definition(p, name);
    const run = await this.runs.byId(runId);
    if (!run || run.definitionId !== d.id)
      throw new ServiceError('NOT_FOUND', `run ${runId} of report definition ${JSON.stringify(name)} not found`);
    const finished = run.status === 'done' || run.status === 'failed';
    return runView(d.name, run, finished ? await this.definitions.runResults(run.id) : []);
  }

  /** A kept result's file, for a principal who may see its cluster. */
  async resultFile(
    p: Principal,
    id: number,
  ): Promise<{ bytes: Buffer; contentType: string; filename: string; signature: unknown }> {
    authorizeRead(p);
    const r = await this.definitions.result(id);
    if (!r) throw new ServiceError('NOT_FOUND', `report result ${id} not found`);
    await visibleCluster(this.clusters, p, r.cluster).catch(() => {
      throw new ServiceError('NOT_FOUND', `report result ${id} not found`);
    });
    if (!r.content) throw new ServiceError('NOT_FOUND', `report result ${id} has no file: the run failed (${r.error})`);
    return { bytes: r.content, contentType: r.contentType, filename: r.filename, signature: r.signature };
  }
}
