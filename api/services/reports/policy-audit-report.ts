import { isPolicyKind, OBJECT_KINDS } from '../../../store/history/objects.js';
import type { VersionSpan } from '../../../store/report-history.repository.js';
import { inScopeObjects } from './exposure-report.js';
import { describeChanges, jsonChanges } from './json-changes.js';
import { describePorts } from './pair-timeline.js';
import type { PeriodData } from './period-data.js';
import type { Cell, ReportScope } from './report.js';
import type { ReportBody } from './report-body.js';

const POLICY_KINDS = OBJECT_KINDS.filter(isPolicyKind);

interface PolicyChange {
  snapshotId: number;
  kind: string;
  key: string;
  change: 'created' | 'changed' | 'deleted';
  before: VersionSpan | undefined;
  after: VersionSpan | undefined;
}

/** Creations, changes and deletions of policies in (first, last], read off their versions. */
function policyChanges(spans: readonly VersionSpan[], firstId: number, lastId: number): PolicyChange[] {
  const byObject = new Map<string, VersionSpan[]>();
  for (const s of spans) byObject.set(`${s.kind}\n${s.key}`, [...(byObject.get(`${s.kind}\n${s.key}`) ?? []), s]);
  const inPeriod = (id: number | null) => id !== null && id > firstId && id <= lastId;
  const out: PolicyChange[] = [];
  for (const versions of byObject.values()) {
    versions.sort((a, b) => a.validFrom - b.validFrom);
    versions.forEach((v, i) => {
      const prev = versions[i - 1];
      if (inPeriod(v.validFrom)) {
        const replaced = prev && prev.validTo === v.validFrom ? prev : undefined;
        out.push({
          snapshotId: v.validFrom,
          kind: v.kind,
          key: v.key,
          change: replaced ? 'changed' : 'created',
          before: replaced,
          after: v,
        });
      }
      const next = versions[i + 1];
      if (inPeriod(v.validTo) && !(next && next.validFrom === v.validTo)) {
        out.push({ snapshotId: v.validTo!, kind: v.kind, key: v.key, change: 'deleted', before: v, after: undefined });
      }
    });
  }
  return out.sort((a, b) => a.snapshotId - b.snapshotId || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Every policy (NetworkPolicy and the admin tiers) created, changed or deleted in the period,
 * what changed in it, and the changes in who can reach whom stored with it as a cause.
 */
export async function policyAuditReport(data: PeriodData, scope: ReportScope): Promise<ReportBody> {
  const period = data.period;
  const { namespaces } = await data.scopedWorkloads(scope);
  const keep = inScopeObjects(namespaces);
  const [spans, changes] = await Promise.all([data.objectSpans(POLICY_KINDS), data.changes()]);
  const audited = policyChanges(
    spans.filter((s) => keep(s.kind, s.key)),
    period.first.id,
    period.last.id,
  );
  const eventsBySnapshot = new Map<number, typeof changes>();
  for (const c of changes) eventsBySnapshot.set(c.snapshotId, [...(eventsBySnapshot.get(c.snapshotId) ?? []), c]);

  const rows: Cell[][] = [];
  const effectRows: Cell[][] = [];
  for (const a of audited) {
    const at = period.startOf(a.snapshotId).toISOString();
    const caused = (eventsBySnapshot.get(a.snapshotId) ?? []).filter((e) =>
      e.causes.some((c) => c.kind === a.kind && c.key === a.key),
    );
    const what =
      a.change === 'changed'
        ? describeChanges(jsonChanges(a.before!.body, a.after!.body))
        : a.change === 'created'
          ? 'created'
          : 'deleted';
    rows.push([
      at,
      a.snapshotId,
      a.kind,
      a.key,
      a.change,
      what,
      a.before?.hash ?? null,
      a.after?.hash ?? null,
      caused.length,
    ]);
    for (const e of caused) {
      effectRows.push([at, a.kind, a.key, e.change, e.src, e.dst, describePorts(e.before), describePorts(e.after)]);
    }
  }
  return {
    title: `Policy audit of ${data.cluster.name}`,
    summary: [
      { label: 'policy changes', value: rows.length },
      { label: 'created', value: audited.filter((a) => a.change === 'created').length },
      { label: 'changed', value: audited.filter((a) => a.change === 'changed').length },
      { label: 'deleted', value: audited.filter((a) => a.change === 'deleted').length },
      { label: 'exposure changes attributed', value: effectRows.length },
    ],
    tables: [
      {
        name: 'policy-changes',
        title: 'Policies created, changed or deleted',
        columns: [
          'at',
          'snapshot',
          'kind',
          'policy',
          'change',
          'what changed',
          'hash before',
          'hash after',
          'exposure changes',
        ],
        rows,
      },
      {
        name: 'exposure-changes',
        title: 'Exposure changes each caused',
        columns: ['at', 'kind', 'policy', 'change', 'source', 'destination', 'ports before', 'ports after'],
        rows: effectRows,
      },
    ],
    qualifications: [
      "An exposure change is attributed to every policy changed in the same snapshot that governs either side of the pair (its namespace's policies, cluster-scoped tiers); when several changed together, each is named.",
      'AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy changes are listed as declared.',
    ],
    keepObject: keep,
  };
}
