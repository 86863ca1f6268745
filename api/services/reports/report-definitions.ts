import { CronExpressionParser } from 'cron-parser';
import ms from 'ms';
import { parseName } from '../../../arguments/name.js';
import type { ClustersRepository } from '../../../store/clusters.repository.js';
import {
  ReportNameTakenError,
  type ReportDefinitionRow,
  type ReportDefinitionsRepository,
  type ReportResultRow,
} from '../../../store/report-definitions.repository.js';
import { authorizeRead, visibleCluster } from '../access.js';
import { ServiceError, type Principal } from '../query-service.js';
import { parseControlOptions } from './controls-report.js';
import { isReportFormat, REPORT_FORMATS } from './render/index.js';
import { isReportType, REPORT_TYPES } from './report.js';
import { parseScope, type ReportService } from './report-service.js';

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

/** Where schedules go (the BullMQ report queue); absent where nothing runs them (tests of definitions alone). */
export interface ReportScheduler {
  sync(definition: { id: number; schedule: string | null }): Promise<void>;
  remove(definitionId: number): Promise<void>;
}

const view = (d: ReportDefinitionRow): ReportDefinitionView => ({
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

const summary = (r: ReportResultRow): ReportResultSummary => ({
  id: r.id,
  cluster: r.cluster,
  periodFrom: r.periodFrom.toISOString(),
  periodTo: r.periodTo.toISOString(),
  createdAt: r.createdAt.toISOString(),
  format: r.format,
  filename: r.filename,
  signed: r.signature !== null && r.signature !== undefined,
  error: r.error,
});

function requireAdmin(p: Principal): void {
  authorizeRead(p);
  if (!p.scopes.includes('admin')) throw new ServiceError('FORBIDDEN', `token ${p.name} lacks the admin scope`);
}

function bad(message: string): never {
  throw new ServiceError('BAD_USER_INPUT', message);
}

/** The system principal scheduled runs act as: every cluster. */
export const SCHEDULER: Principal = {
  tokenId: 0,
  name: 'reachlog-scheduler',
  scopes: ['read', 'admin'],
  clusterIds: null,
};

/** Stored report definitions: added by admins, listed and run by readers of their clusters, their results kept. */
export class ReportDefinitionService {
  constructor(
    private readonly definitions: ReportDefinitionsRepository,
    private readonly clusters: ClustersRepository,
    private readonly reports: ReportService,
    private readonly scheduler?: ReportScheduler,
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
    await this.scheduler?.sync(row);
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

  async get(p: Principal, name: string): Promise<{ definition: ReportDefinitionView; results: ReportResultSummary[] }> {
    const d = await this.definition(p, name);
    return { definition: view(d), results: (await this.definitions.results(d.id, 50)).map(summary) };
  }

  async remove(p: Principal, name: string): Promise<void> {
    requireAdmin(p);
    const d = await this.definition(p, name);
    await this.definitions.remove(name);
    await this.scheduler?.remove(d.id);
  }

  /**
   * Runs a definition now: one report per cluster, rendered in each format, kept. A scheduled
   * run covers the time since the previous scheduled run (its `period` the first time); a
   * run on demand covers `period` back from now and leaves the schedule's place alone.
   */
  async run(p: Principal, name: string, scheduled = false): Promise<ReportResultSummary[]> {
    const d = await this.definition(p, name);
    return this.runDefinition(p, d, scheduled);
  }

  /** The scheduled run of a definition by id (the report queue's processor). */
  async runScheduled(definitionId: number): Promise<ReportResultSummary[]> {
    const d = (await this.definitions.list()).find((x) => x.id === definitionId);
    if (!d) return []; // removed since it was queued
    return this.runDefinition(SCHEDULER, d, true);
  }

  private async runDefinition(
    p: Principal,
    d: ReportDefinitionRow,
    scheduled: boolean,
  ): Promise<ReportResultSummary[]> {
    const to = this.now();
    const from = scheduled && d.lastRunTo ? d.lastRunTo : new Date(to.getTime() - ms(d.period as ms.StringValue));
    const kept: number[] = [];
    for (const cluster of d.clusters) {
      let report;
      try {
        report = await this.reports.run(p, {
          type: d.type,
          cluster,
          from: from.toISOString(),
          to: to.toISOString(),
          scope: d.scope,
          options: d.options,
        });
      } catch (e) {
        // A failed run is kept as such: "the report due at T could not be made" is an audit fact.
        for (const format of d.formats) kept.push(await this.keepFailure(d, cluster, from, to, format, e));
        continue;
      }
      for (const format of d.formats) {
        try {
          const out = await this.reports.render(report, format);
          kept.push(
            await this.definitions.addResult({
              definitionId: d.id,
              cluster,
              periodFrom: from,
              periodTo: to,
              format,
              filename: out.filename,
              contentType: out.contentType,
              content: out.bytes,
              signature: out.signature ?? null,
              error: null,
            }),
          );
        } catch (e) {
          kept.push(await this.keepFailure(d, cluster, from, to, format, e));
        }
      }
    }
    if (scheduled) await this.definitions.setLastRunTo(d.id, to);
    const results = await this.definitions.results(d.id, Math.max(kept.length, 1) + 10);
    return results.filter((r) => kept.includes(r.id)).map(summary);
  }

  private keepFailure(
    d: ReportDefinitionRow,
    cluster: string,
    from: Date,
    to: Date,
    format: string,
    e: unknown,
  ): Promise<number> {
    return this.definitions.addResult({
      definitionId: d.id,
      cluster,
      periodFrom: from,
      periodTo: to,
      format,
      filename: '',
      contentType: '',
      content: null,
      signature: null,
      error: (e as Error).message,
    });
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
