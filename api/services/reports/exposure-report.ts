import type { StoredWorkload } from '../../../store/history/objects.js';
import { openToWorldSpans } from './outside-coverage.js';
import { describePorts, namespaceOfPeer, type PairSpan } from './pair-timeline.js';
import type { PeriodData } from './period-data.js';
import { mergeSpans, type IdSpan, type Period } from './period.js';
import type { Cell, ReportScope, ReportTable } from './report.js';
import type { ReportBody } from './report-body.js';

/** `throughout`, `never` or `partly` for a state whose gaps (when it did not hold) are given, over a life span. */
export function heldOver(
  period: Period,
  life: readonly IdSpan[],
  gaps: readonly IdSpan[],
): 'throughout' | 'never' | 'partly' {
  if (gaps.length === 0) return 'throughout';
  const covered = (spans: readonly IdSpan[]) =>
    mergeSpans(spans).map((s) => ({
      from: Math.max(s.from, period.first.id),
      to: s.to === null || s.to > period.last.id ? null : s.to,
    }));
  const a = covered(life);
  const b = covered(gaps);
  return JSON.stringify(a) === JSON.stringify(b) ? 'never' : 'partly';
}

/** `2025-05-01T00:00:00.000Z – now` style: spans as times, joined. */
export function describeSpans(period: Period, spans: readonly IdSpan[]): string {
  return spans
    .map((s) => {
      const t = period.times(s);
      return `${t.start} – ${t.end ?? 'end of period'}`;
    })
    .join('; ');
}

/** A workload's life in the period, from its stored versions. */
export async function workloadLives(data: PeriodData): Promise<Map<string, IdSpan[]>> {
  const lives = new Map<string, IdSpan[]>();
  for (const v of await data.objectSpans(['Workload'])) {
    lives.set(v.key, [...(lives.get(v.key) ?? []), { from: v.validFrom, to: v.validTo }]);
  }
  for (const [k, spans] of lives) lives.set(k, mergeSpans(spans));
  return lives;
}

/**
 * Per in-scope workload: isolated (ingress, egress) throughout the period or not, open to
 * outside addresses (which, on which ports, since when), open to other namespaces; then per
 * namespace the same rolled up.
 */
export async function exposureReport(data: PeriodData, scope: ReportScope): Promise<ReportBody> {
  const period = data.period;
  const { workloads, namespaces } = await data.scopedWorkloads(scope);
  const ids = [...workloads.keys()].sort();
  const [incoming, gaps, lives] = await Promise.all([data.incoming(ids), data.isolationGaps(), workloadLives(data)]);
  const byDst = new Map<string, PairSpan[]>();
  for (const s of incoming) byDst.set(s.dst, [...(byDst.get(s.dst) ?? []), s]);

  const rows: Cell[][] = [];
  const outsideRows: Cell[][] = [];
  const crossRows: Cell[][] = [];
  const perNamespace = new Map<
    string,
    { workloads: number; ingress: number; egress: number; outside: number; cross: number; world: number }
  >();
  for (const id of ids) {
    const w = workloads.get(id) as StoredWorkload;
    const life = lives.get(id) ?? [];
    const spans = byDst.get(id) ?? [];
    const outside = spans.filter((s) => s.src.startsWith('ip:'));
    const cross = spans.filter((s) => !s.src.startsWith('ip:') && namespaceOfPeer(s.src) !== w.namespace);
    const world = openToWorldSpans(outside);
    const g = gaps.get(id);
    const ingress = w.hostNetwork ? 'hostNetwork' : g ? heldOver(period, life, g.ingressOpen) : 'never';
    const egress = w.hostNetwork ? 'hostNetwork' : g ? heldOver(period, life, g.egressOpen) : 'never';
    const crossNamespaces = [...new Set(cross.map((s) => namespaceOfPeer(s.src)!))].sort();
    rows.push([
      id,
      w.namespace,
      describeSpans(period, life),
      ingress,
      g && !w.hostNetwork ? describeSpans(period, g.ingressOpen) : '',
      egress,
      g && !w.hostNetwork ? describeSpans(period, g.egressOpen) : '',
      outside.length > 0,
      describeSpans(period, world),
      crossNamespaces.join(' '),
    ]);
    for (const s of outside) {
      const t = period.times(s.span);
      outsideRows.push([id, s.src.slice('ip:'.length), describePorts(s.allowed), t.start, t.end]);
    }
    for (const s of cross) {
      const t = period.times(s.span);
      crossRows.push([id, namespaceOfPeer(s.src)!, s.src, describePorts(s.allowed), t.start, t.end]);
    }
    const n = perNamespace.get(w.namespace) ?? { workloads: 0, ingress: 0, egress: 0, outside: 0, cross: 0, world: 0 };
    n.workloads++;
    if (ingress === 'throughout') n.ingress++;
    if (egress === 'throughout') n.egress++;
    if (outside.length > 0) n.outside++;
    if (world.length > 0) n.world++;
    if (crossNamespaces.length > 0) n.cross++;
    perNamespace.set(w.namespace, n);
  }
  const nsRows: Cell[][] = [...perNamespace.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([ns, n]) => [ns, n.workloads, n.ingress, n.egress, n.outside, n.world, n.cross]);
  const tables: ReportTable[] = [
    {
      name: 'namespaces',
      title: 'Namespaces',
      columns: [
        'namespace',
        'workloads',
        'ingress-isolated throughout',
        'egress-isolated throughout',
        'open to outside addresses',
        'open to 0.0.0.0/0',
        'reachable from other namespaces',
      ],
      rows: nsRows,
    },
    {
      name: 'workloads',
      title: 'Workloads',
      columns: [
        'workload',
        'namespace',
        'present',
        'ingress isolated',
        'not ingress-isolated',
        'egress isolated',
        'not egress-isolated',
        'open to outside addresses',
        'open to 0.0.0.0/0',
        'reachable from namespaces',
      ],
      rows,
    },
    {
      name: 'outside-access',
      title: 'Open to outside addresses',
      columns: ['workload', 'addresses', 'ports', 'from', 'until'],
      rows: outsideRows,
    },
    {
      name: 'cross-namespace-access',
      title: 'Reachable from other namespaces',
      columns: ['workload', 'source namespace', 'source', 'ports', 'from', 'until'],
      rows: crossRows,
    },
  ];
  const count = (col: number, value: Cell) => rows.filter((r) => r[col] === value).length;
  return {
    title: `Exposure of ${data.cluster.name}`,
    summary: [
      { label: 'namespaces in scope', value: namespaces.size },
      { label: 'workloads in scope', value: ids.length },
      { label: 'ingress-isolated throughout', value: count(3, 'throughout') },
      { label: 'not ingress-isolated at some time', value: count(3, 'partly') + count(3, 'never') },
      { label: 'egress-isolated throughout', value: count(5, 'throughout') },
      { label: 'open to outside addresses at some time', value: count(7, true) },
      { label: 'open to 0.0.0.0/0 at some time', value: rows.filter((r) => r[8] !== '').length },
      { label: 'reachable from other namespaces at some time', value: rows.filter((r) => r[9] !== '').length },
    ],
    tables,
    qualifications: [
      'hostNetwork workloads share their node\'s network and are not governed by NetworkPolicy: they are marked "hostNetwork", never isolated.',
    ],
    keepObject: inScopeObjects(namespaces),
  };
}

/** The evidence's objects for a scope: those in its namespaces, and cluster-scoped policies (they bear on every namespace). */
export function inScopeObjects(namespaces: ReadonlySet<string>): (kind: string, key: string) => boolean {
  return (kind, key) => {
    if (kind === 'Namespace') return namespaces.has(key);
    const slash = key.indexOf('/');
    return slash === -1 ? true : namespaces.has(key.slice(0, slash));
  };
}
