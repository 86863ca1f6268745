import type { KeyObject } from 'node:crypto';
import type pg from 'pg';
import { ClustersRepository } from '../../../store/clusters.repository.js';
import { visibleCluster } from '../access.js';
import { ServiceError, type Principal } from '../query-service.js';
import { parseTimeRef } from '../../../arguments/time-ref.js';
import { accessReport } from './access-report.js';
import { controlsReport, parseControlOptions } from './controls-report.js';
import { exposureReport } from './exposure-report.js';
import { PeriodData, ReportReads } from './period-data.js';
import { policyAuditReport } from './policy-audit-report.js';
import {
  isReportFormat,
  renderReport,
  REPORT_FORMATS,
  type RenderedReport,
  type ReportFormat,
} from './render/index.js';
import { isReportType, REPORT_TYPES, type Report, type ReportScope, type ReportType } from './report.js';
import type { ReportBody } from './report-body.js';
import { signBytes, type DetachedSignature } from './signing.js';

/** A report asked for: its type, cluster and period (time references as the questions take them), scope and options. */
export interface ReportRequest {
  type: string;
  cluster: string;
  from: string;
  /** The latest time when omitted. */
  to?: string | undefined;
  scope?: ReportScope | undefined;
  /** Type-specific options (controls: ControlOptions). */
  options?: unknown;
}

/** A rendered report with its detached signature (absent when no signing key is configured). */
export interface SignedReport extends RenderedReport {
  report: Report;
  filename: string;
  signature: DetachedSignature | undefined;
}

export interface ReportServiceOptions {
  now?: () => Date;
  /** The ed25519 key reports are signed with; unsigned without one (and said so in the report). */
  signingKey?: KeyObject | undefined;
  chromiumPath: string;
}

function strings(value: unknown, field: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new ServiceError('BAD_USER_INPUT', `${field}: expected a list of strings`);
  }
  return value as string[];
}

/** A scope from JSON (REST bodies, stored definitions), checked field by field. */
export function parseScope(raw: unknown): ReportScope {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new ServiceError('BAD_USER_INPUT', 'scope: expected an object');
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!['namespaces', 'namespaceSelector', 'workloadSelector'].includes(k)) {
      throw new ServiceError('BAD_USER_INPUT', `scope.${k}: unknown (namespaces, namespaceSelector, workloadSelector)`);
    }
  }
  const text = (k: string) => {
    const v = o[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new ServiceError('BAD_USER_INPUT', `scope.${k}: expected a selector string`);
    return v;
  };
  const namespaces = strings(o.namespaces, 'scope.namespaces');
  const ns = text('namespaceSelector');
  const wl = text('workloadSelector');
  return {
    ...(namespaces ? { namespaces } : {}),
    ...(ns ? { namespaceSelector: ns } : {}),
    ...(wl ? { workloadSelector: wl } : {}),
  };
}

/**
 * Compliance reports over the stored history: computed, rendered in any format, signed. REST,
 * GraphQL and the CLI all go through here.
 */
export class ReportService {
  private readonly reads: ReportReads;
  private readonly clusters: ClustersRepository;
  private readonly now: () => Date;

  constructor(
    pool: pg.Pool,
    private readonly options: ReportServiceOptions,
  ) {
    this.reads = new ReportReads(pool);
    this.clusters = new ClustersRepository(pool);
    this.now = options.now ?? (() => new Date());
  }

  get signs(): boolean {
    return this.options.signingKey !== undefined;
  }

  private async timeOf(clusterId: number, text: string, field: string, now: Date): Promise<Date> {
    const ref = parseTimeRef(text, now, field);
    if (ref.kind === 'time') return ref.at;
    const s = await this.reads.snapshots.byId(clusterId, ref.id);
    if (!s) throw new ServiceError('NOT_FOUND', `${field}: snapshot ${ref.id} not found in this cluster`);
    return s.takenAt;
  }

  /** Computes a report (not yet rendered). */
  async run(p: Principal, req: ReportRequest): Promise<Report> {
    if (!isReportType(req.type)) {
      throw new ServiceError(
        'BAD_USER_INPUT',
        `report type ${JSON.stringify(req.type)}: one of ${REPORT_TYPES.join(', ')}`,
      );
    }
    const type: ReportType = req.type;
    const cluster = await visibleCluster(this.clusters, p, req.cluster);
    const now = this.now();
    if (typeof req.from !== 'string' || req.from === '') throw new ServiceError('BAD_USER_INPUT', 'from is required');
    const from = await this.timeOf(cluster.id, req.from, 'from', now);
    const to = req.to === undefined || req.to === '' ? now : await this.timeOf(cluster.id, req.to, 'to', now);
    const scope = parseScope(req.scope);
    const options = type === 'controls' ? parseControlOptions(req.options) : {};
    const data = await PeriodData.load(this.reads, cluster, from, to);
    let body: ReportBody;
    if (type === 'exposure') body = await exposureReport(data, scope);
    else if (type === 'access') body = await accessReport(data, scope);
    else if (type === 'policy-audit') body = await policyAuditReport(data, scope);
    else body = await controlsReport(data, scope, options as ReturnType<typeof parseControlOptions>);
    const qualifications = [...data.qualifications(), ...body.qualifications];
    if (!this.signs)
      qualifications.push('This report is not signed: no signing key was configured (REACHLOG_REPORT_SIGNING_KEY).');
    return {
      reachlogReport: 1,
      type,
      title: body.title,
      cluster: cluster.name,
      generatedAt: now.toISOString(),
      period: { from: from.toISOString(), to: to.toISOString() },
      scope,
      options,
      qualifications,
      summary: body.summary,
      tables: body.tables,
      evidence: await data.evidence(body.keepObject),
    };
  }

  /** Renders and signs a computed report. */
  async render(report: Report, format: string): Promise<SignedReport> {
    if (!isReportFormat(format)) {
      throw new ServiceError('BAD_USER_INPUT', `format ${JSON.stringify(format)}: one of ${REPORT_FORMATS.join(', ')}`);
    }
    const rendered = await renderReport(report, format as ReportFormat, this.options.chromiumPath);
    const stamp = report.generatedAt.replace(/[:.]/g, '-');
    return {
      ...rendered,
      report,
      filename: `reachlog-${report.type}-${report.cluster}-${stamp}.${rendered.extension}`,
      signature: this.options.signingKey ? signBytes(rendered.bytes, this.options.signingKey) : undefined,
    };
  }

  async runAndRender(p: Principal, req: ReportRequest, format: string): Promise<SignedReport> {
    if (!isReportFormat(format)) {
      throw new ServiceError('BAD_USER_INPUT', `format ${JSON.stringify(format)}: one of ${REPORT_FORMATS.join(', ')}`);
    }
    return this.render(await this.run(p, req), format);
  }
}
