import type { ClusterSummary, SnapshotSummary } from './query-service.js';
import type { ClusterRow } from './repositories/clusters.repository.js';
import type { SnapshotRow } from './repositories/snapshots.repository.js';

export function toSnapshotSummary(s: SnapshotRow): SnapshotSummary {
  const counts =
    s.counts &&
    // Counts hold a hash of the pods beside the numbers: only the numbers are for people.
    Object.fromEntries(Object.entries(s.counts).filter((e): e is [string, number] => typeof e[1] === 'number'));
  return {
    id: s.id,
    takenAt: s.takenAt.toISOString(),
    status: s.status as SnapshotSummary['status'],
    durationMs: s.durationMs,
    counts,
    problems: s.problems,
    error: s.error,
  };
}

/** `kube:<context>`, `kube:in-cluster`, `kube:default` (the kubeconfig's current context) or `manifests:<dir>`. */
export function describeSource(c: ClusterRow): string {
  if (c.sourceKind === 'manifests') return `manifests:${c.manifestsDir ?? ''}`;
  if (c.inCluster) return 'kube:in-cluster';
  return `kube:${c.context ?? 'default'}`;
}

export function toClusterSummary(c: ClusterRow): ClusterSummary {
  return {
    name: c.name,
    source: describeSource(c),
    everySeconds: c.everySeconds,
    paused: c.paused,
    lastSnapshot: c.lastSnapshot && toSnapshotSummary(c.lastSnapshot),
  };
}
