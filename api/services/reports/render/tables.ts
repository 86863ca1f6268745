import type { Cell, Report, ReportTable } from '../report.js';

/** The evidence as tables, after the report's own: every format shows the same evidence. */
export function evidenceTables(report: Report): ReportTable[] {
  const e = report.evidence;
  return [
    {
      name: 'evidence-snapshots',
      title: `Snapshots read (${e.unchangedSnapshots} more in the period found nothing changed)`,
      columns: ['snapshot', 'taken at', 'status', 'content hash'],
      rows: e.snapshots.map((s) => [s.id, s.takenAt, s.status, s.contentHash]),
    },
    {
      name: 'evidence-objects',
      title: 'Objects analysed (every version in force during the period)',
      columns: ['kind', 'object', 'version', 'hash', 'from snapshot', 'until snapshot'],
      rows: e.objects.map((o) => [o.kind, o.key, o.versionId, o.hash, o.validFromSnapshot, o.validToSnapshot]),
    },
    {
      name: 'evidence-collection-problems',
      title: 'Problems met while collecting',
      columns: ['problem', 'first snapshot', 'first seen', 'last seen', 'snapshots'],
      rows: e.collectionProblems.map((p) => [p.problem, p.firstSnapshotId, p.firstSeen, p.lastSeen, p.snapshots]),
    },
  ];
}

/** The header facts every format prints first. */
export function headerFacts(report: Report): [string, string][] {
  return [
    ['Cluster', report.cluster],
    ['Period', `${report.period.from} – ${report.period.to}`],
    ['History read from', report.evidence.period.coveredFrom],
    ['Scope', describeScope(report)],
    ['Generated', report.generatedAt],
    ['reachlog version', report.evidence.reachlogVersion],
  ];
}

function describeScope(report: Report): string {
  const s = report.scope;
  const parts = [
    s.namespaces?.length ? `namespaces ${s.namespaces.join(', ')}` : '',
    s.namespaceSelector ? `namespaces labelled ${s.namespaceSelector}` : '',
    s.workloadSelector ? `workloads labelled ${s.workloadSelector}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'the whole cluster';
}

export function cellText(c: Cell): string {
  if (c === null) return '';
  if (typeof c === 'boolean') return c ? 'yes' : 'no';
  return String(c);
}
