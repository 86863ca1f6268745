import type { NodeTiers } from './node-rules.js';
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
  /**
   * Workloads with a pod whose ingress nothing restricts: no NetworkPolicy isolates it and no
   * admin-tier or baseline Deny applies (the summary's `unprotected`).
   */
  ingressUnisolated: number;
  /** The same for egress. */
  egressUnisolated: number;
  /** Ordered pairs of distinct workloads where the first may open some port of the second. */
  connections: number;
}

const denies = (list: NodeTiers['adminIngress'] | undefined) => list?.some((e) => e.action === 'Deny') === true;

export function exposureCounts(reach: Reachability): ExposureCounts {
  const summary = reach.summary();
  const { view } = reach;
  const nodes = view.matrix.nodes;
  const workloadIds = new Set(reach.cluster.workloads.map((w) => w.id));
  // As summarize() decides `unprotected`: NetworkPolicy isolation restricts, so does a Deny of either admin tier.
  const ingressRestricted = (n: number) =>
    nodes[n]!.ingress !== null || denies(nodes[n]!.tiers?.adminIngress) || denies(nodes[n]!.tiers?.baselineIngress);
  const egressRestricted = (n: number) =>
    nodes[n]!.egress !== null || denies(nodes[n]!.tiers?.adminEgress) || denies(nodes[n]!.tiers?.baselineEgress);
  let ingressUnisolated = 0;
  let egressUnisolated = 0;
  for (const id of workloadIds) {
    // hostNetwork workloads have no nodes: NetworkPolicy does not govern them, so they are not counted.
    const of = view.nodesOf(id);
    if (!of) continue;
    if (!of.every(ingressRestricted)) ingressUnisolated++;
    if (!of.every(egressRestricted)) egressUnisolated++;
  }
  return {
    exposedToOutside: summary.exposedToOutside.length,
    openToWorld: summary.openToWorld.length,
    ingressUnisolated,
    egressUnisolated,
    connections: view.pairCount((peer) => workloadIds.has(peer)),
  };
}
