import type { AdminPeer, AdminPolicy, AdminRule, Cluster } from '../model/cluster.js';
import { nodeAddresses, type IpBlocks } from './ip-blocks.js';
import type { NodeTiers, TierEntry } from './node-rules.js';
import type { OutsidePartition } from './outside-addresses.js';
import type { PeerResolver } from './peer-resolver.js';
import type { PeerSet } from './peer-set.js';
import { CompiledPorts } from './ports.js';
import { SelectionSignatures } from './selection-signatures.js';

/**
 * The cluster-scoped tiers compiled onto pod classes. Upstream order (network-policy-api
 * v1alpha1 and v1alpha2): the Admin tier (AdminNetworkPolicy and Admin ClusterNetworkPolicy)
 * by priority, lower first, then rule order within a policy, first match wins; then
 * NetworkPolicy; then the Baseline tier (Baseline ClusterNetworkPolicy by priority, then the
 * BaselineAdminNetworkPolicy) for a direction NetworkPolicy leaves unisolated; then allowed.
 *
 * Equal priorities: upstream lets the implementation pick ("there is no way for the user to
 * reliably determine which one it will choose"); reachlog takes them by kind and name, and
 * says so in a warning when their subjects overlap (admin-warnings.ts).
 */

const KIND_ORDER = { AdminNetworkPolicy: 0, ClusterNetworkPolicy: 1, BaselineAdminNetworkPolicy: 2 } as const;

/** Evaluation order within a tier. */
export function tierOrder(a: AdminPolicy, b: AdminPolicy): number {
  return (
    a.priority - b.priority ||
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/** Where the pieces a peer needs come from. */
export interface TierInput {
  cluster: Cluster;
  resolver: PeerResolver;
  partition: OutsidePartition;
  blocks: IpBlocks;
  /** Block index → classes whose pod IPs it covers (filled for `networks` blocks). */
  classesInBlock: readonly (readonly number[])[];
}

/** The classes a subject (or pods peer) selects: namespaceSelector AND podSelector, cluster-wide. */
export function podsPeer(input: TierInput, peer: AdminPolicy['subject']): PeerSet {
  return input.resolver.podPeer({ kind: 'pods', ...peer }, '');
}

/** One peer's matrix nodes; undefined when it matches nothing this evaluation can know. */
function peerSet(input: TierInput, peer: AdminPeer): PeerSet | undefined {
  switch (peer.kind) {
    case 'pods':
      return podsPeer(input, peer);
    case 'networks': {
      const block = input.blocks.indexOfAddresses(peer.addresses);
      return input.resolver.addressPeer(
        'net',
        input.partition,
        block,
        peer.addresses,
        input.classesInBlock[block] ?? [],
      );
    }
    case 'nodes': {
      const addresses = nodeAddresses(input.cluster.nodes, peer.selector);
      if (addresses.isEmpty()) return undefined;
      return input.resolver.addressPeer(
        'node',
        input.partition,
        input.blocks.indexOfAddresses(addresses),
        addresses,
        [],
      );
    }
    // Undecidable from objects: left out of what the rule matches (warned about).
    case 'domainNames':
      return undefined;
    case 'unknown':
      return undefined;
  }
}

/**
 * A rule as entries in order. A peer of a kind this version does not know fails closed, as
 * the peer types' documentation says: for Allow/Accept "treat the rule as matching no
 * traffic", for Deny and Pass "treat the rule as a 'Deny all' rule".
 */
function ruleEntries(input: TierInput, rule: AdminRule): TierEntry[] {
  if (rule.action !== 'Allow' && rule.peers.some((p) => p.kind === 'unknown')) {
    return [{ peer: input.resolver.everything, ports: CompiledPorts.all, action: 'Deny' }];
  }
  const ports = CompiledPorts.compile(rule.ports);
  const entries: TierEntry[] = [];
  // Any peer matching applies the action: one entry per peer, in a row, is the same first match.
  for (const peer of rule.peers) {
    const set = peerSet(input, peer);
    if (set && !entries.some((e) => e.peer === set)) entries.push({ peer: set, ports, action: rule.action });
  }
  return entries;
}

interface CompiledPolicy {
  policy: AdminPolicy;
  ingress: TierEntry[];
  egress: TierEntry[];
}

/** Per class, its tiers; undefined for classes no admin policy selects. */
export function compileTiers(input: TierInput, classCount: number): (NodeTiers | undefined)[] {
  const out: (NodeTiers | undefined)[] = new Array(classCount);
  const policies = [...input.cluster.adminPolicies].sort(tierOrder);
  if (policies.length === 0) return out;
  const compiled: CompiledPolicy[] = policies.map((policy) => ({
    policy,
    ingress: policy.ingress.flatMap((r) => ruleEntries(input, r)),
    egress: policy.egress.flatMap((r) => ruleEntries(input, r)),
  }));
  // Classes selected by the same policies share one set of lists.
  const signatures = new SelectionSignatures<number>(classCount, compiled.length);
  compiled.forEach((c, i) => signatures.add(i, i, podsPeer(input, c.policy.subject).members));
  const list = (ids: number[], tier: 'Admin' | 'Baseline', direction: 'ingress' | 'egress') => {
    const mine = ids.filter((i) => compiled[i]!.policy.tier === tier && compiled[i]!.policy[direction].length > 0);
    // "ANPs with no ingress rules do not affect ingress traffic": no rules, no list.
    return mine.length === 0 ? null : mine.flatMap((i) => compiled[i]![direction]);
  };
  const tiersOfSignature: (NodeTiers | undefined)[] = [];
  for (let cls = 0; cls < classCount; cls++) {
    const signature = signatures.ofClass[cls]!;
    if (signature === 0) continue;
    let tiers = tiersOfSignature[signature];
    if (!tiers) {
      const ids = signatures.selections[signature]!;
      tiers = {
        adminIngress: list(ids, 'Admin', 'ingress'),
        adminEgress: list(ids, 'Admin', 'egress'),
        baselineIngress: list(ids, 'Baseline', 'ingress'),
        baselineEgress: list(ids, 'Baseline', 'egress'),
      };
      tiersOfSignature[signature] = tiers;
    }
    out[cls] = tiers;
  }
  return out;
}
