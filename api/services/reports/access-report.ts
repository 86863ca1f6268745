import { inScopeObjects } from './exposure-report.js';
import { describePorts } from './pair-timeline.js';
import type { PeriodData } from './period-data.js';
import type { Cell, ReportScope } from './report.js';
import type { ReportBody } from './report-body.js';

/**
 * Who could reach each in-scope workload during the period: one row per source and stretch of
 * unchanged ports, with when that access began (before the period, if it did) and ended.
 */
export async function accessReport(data: PeriodData, scope: ReportScope): Promise<ReportBody> {
  const period = data.period;
  const { workloads, namespaces } = await data.scopedWorkloads(scope);
  const ids = [...workloads.keys()].sort();
  const spans = await data.incoming(ids);
  const atStart = spans.filter((s) => s.span.from <= period.first.id);
  const began = await data.accessBegan(atStart);
  const rows: Cell[][] = spans.map((s) => {
    const t = period.times(s.span);
    const before = s.span.from <= period.first.id;
    return [
      s.dst,
      s.src,
      describePorts(s.allowed),
      before ? began(s).toISOString() : t.start,
      t.end,
      before,
      t.end === null,
    ];
  });
  const sources = new Set(spans.map((s) => s.src));
  const started = spans.filter((s) => s.span.from > period.first.id);
  const ended = spans.filter((s) => s.span.to !== null && s.span.to <= period.last.id);
  return {
    title: `Access to workloads of ${data.cluster.name}`,
    summary: [
      { label: 'workloads in scope', value: ids.length },
      { label: 'workloads reachable by something during the period', value: new Set(spans.map((s) => s.dst)).size },
      { label: 'distinct sources', value: sources.size },
      { label: 'access (or its ports) changed in the period: began', value: started.length },
      { label: 'access (or its ports) changed in the period: ended', value: ended.length },
    ],
    tables: [
      {
        name: 'access',
        title: 'Who could reach each workload',
        columns: [
          'workload',
          'source',
          'ports',
          'access began',
          'access ended',
          'began before the period',
          'held at the end',
        ],
        rows,
      },
    ],
    qualifications: [
      'A row is a stretch of unchanged ports: access whose ports widened or narrowed shows as one row ending and the next beginning at the same time.',
      '"access began" before the period is the pair\'s last recorded change from no access to some; history\'s first snapshot when it had access from the start.',
    ],
    keepObject: inScopeObjects(namespaces),
  };
}
