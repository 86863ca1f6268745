import type { Reachability } from './reachability.js';

/**
 * The numbers operators watch over time (metrics, snapshot counts): how much of a cluster the
 * outside world reaches, how much no policy isolates, and how many workload pairs may connect.
 * Counts only, so that a snapshot can keep them without keeping the lists.
 */
export interface ExposureCounts {
  /** Workloads some outside address may reach. */
  exposedToOutside: number;
  /** Workloads every outside IPv4 address may reach on some port. */
  openToWorld: number;
  /** Workloads with a pod no NetworkPolicy isolates for ingress. */
  ingressUnisolated: number;
  /** Workloads with a pod no NetworkPolicy isolates for egress. */
  egressUnisolated: number;
  /** Ordered pairs of distinct workloads where the first may open some port of the second. */
  connections: number;
}

export function exposureCounts(reach: Reachability): ExposureCounts {
  const summary = reach.summary();
  const { view } = reach;
  const workloadIds = new Set(reach.cluster.workloads.map((w) => w.id));
  let egressUnisolated = 0;
  for (const id of workloadIds) {
    // hostNetwork workloads have no nodes: NetworkPolicy does not govern them, so they are not counted.
    const nodes = view.nodesOf(id);
    if (nodes?.some((n) => view.matrix.nodes[n]!.egress === null)) egressUnisolated++;
  }
  return {
    exposedToOutside: summary.exposedToOutside.length,
    openToWorld: summary.openToWorld.length,
    ingressUnisolated: summary.unprotected.length,
    egressUnisolated,
    connections: view.pairCount((peer) => workloadIds.has(peer)),
  };
}
