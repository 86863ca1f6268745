import { ALL_V4, type AddressSet } from '../sets/address-set.js';
import type { NodeTiers } from './node-rules.js';
import type { Summary } from './types.js';
import type { WorkloadView } from './workload-view.js';

/** The headline numbers: what is unprotected, and what the outside world can reach. */
export function summarize(
  view: WorkloadView,
  outside: readonly { id: string; addresses: AddressSet }[],
  workloads: readonly { id: string; hostNetwork: boolean }[],
  policies: number,
  adminPolicies = 0,
): Summary {
  const { matrix } = view;
  const outsideNodes = outside.map((g) => view.nodesOf(g.id)![0]!);
  const v4Nodes = outsideNodes.filter((_, i) => !outside[i]!.addresses.intersect(ALL_V4).isEmpty());
  const summary: Summary = {
    workloads: workloads.length,
    policies,
    adminPolicies,
    unprotected: [],
    openToWorld: [],
    exposedToOutside: [],
    adminDecided: [],
    hostNetwork: [],
  };
  const tiered = (n: number) => {
    const t = matrix.nodes[n]!.tiers;
    return t !== undefined && (t.adminIngress ?? t.adminEgress ?? t.baselineIngress ?? t.baselineEgress) !== null;
  };
  // Unprotected: some pod whose ingress no tier restricts. NetworkPolicy isolation restricts;
  // so does an admin or baseline Deny that applies to it (an Allow or Pass alone does not).
  const restricted = (n: number) => {
    const node = matrix.nodes[n]!;
    const t = node.tiers;
    const denies = (list: NodeTiers['adminIngress'] | undefined) => list?.some((e) => e.action === 'Deny') === true;
    return node.ingress !== null || denies(t?.adminIngress) || denies(t?.baselineIngress);
  };
  for (const w of workloads) {
    const nodes = view.nodesOf(w.id);
    if (!nodes) {
      if (w.hostNetwork) summary.hostNetwork.push(w.id);
      continue;
    }
    if (!nodes.every(restricted)) summary.unprotected.push(w.id);
    if (nodes.some(tiered)) summary.adminDecided.push(w.id);
    const reaches = (o: number) => nodes.some((n) => !matrix.pair(o, n).isEmpty());
    if (outsideNodes.some(reaches)) summary.exposedToOutside.push(w.id);
    // Open to 0.0.0.0/0: every outside IPv4 address may connect on some port.
    if (v4Nodes.every(reaches)) summary.openToWorld.push(w.id);
  }
  return summary;
}
