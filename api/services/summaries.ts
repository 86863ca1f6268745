import type { ClusterSummary, SnapshotSummary } from './query-service.js';
import type { ClusterSource, ClusterWithLastSnapshot } from '../../store/clusters.repository.js';
import type { SnapshotRow } from '../../store/snapshots.repository.js';
import { clusterIsOverdue } from '../../store/overdue.js';

export function toSnapshotSummary(s: SnapshotRow): SnapshotSummary {
  const counts =
    s.counts &&
    // Counts hold a hash of the pods beside the numbers: only the numbers are for people.
    Object.fromEntries(Object.entries(s.counts).filter((e): e is [string, number] => typeof e[1] === 'number'));
  return {
    id: s.id,
    takenAt: s.takenAt.toISOString(),
    status: s.status,
    durationMs: s.durationMs,
    counts,
    problems: s.problems,
    error: s.error,
  };
}

/** `kube:<context>`, `kube:in-cluster`, `kube:default` (the kubeconfig's current context) or `manifests:<dir>`. */
export function describeSource(source: ClusterSource): string {
  if (source.kind === 'manifests') return `manifests:${source.dir}`;
  if (source.inCluster) return 'kube:in-cluster';
  return `kube:${source.context ?? 'default'}`;
}

export function toClusterSummary(c: ClusterWithLastSnapshot, now: Date = new Date()): ClusterSummary {
  return {
    name: c.name,
    source: describeSource(c.source),
    everySeconds: c.everySeconds,
    paused: c.paused,
    lastSnapshot: c.lastSnapshot && toSnapshotSummary(c.lastSnapshot),
    lastSuccessAt: c.lastSuccessAt?.toISOString() ?? null,
    overdue: clusterIsOverdue(c, now),
  };
}
