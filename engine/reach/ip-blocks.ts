import type { AdminPeer, Cluster, ClusterNode, NetworkPolicy, PolicyPeer } from '../model/cluster.js';
import type { LabelSelector } from '../select/label-selector.js';
import { IntervalSet } from '../sets/interval-set.js';
import type { AddressSet } from '../sets/address-set.js';

export type IpBlockPeer = Extract<PolicyPeer, { kind: 'ipBlock' }>;

export interface IpBlockUse {
  policy: NetworkPolicy;
  /** e.g. `spec.ingress[0].from[1].ipBlock` */
  field: string;
  block: number;
}

/**
 * Every distinct address set a policy names (by addresses): NetworkPolicy ipBlocks, admin
 * `networks` peers and the addresses of the Nodes admin `nodes` peers select. The outside
 * world is cut at all of their boundaries.
 */
export interface IpBlocks {
  sets: AddressSet[];
  uses: IpBlockUse[];
  indexOf(peer: IpBlockPeer): number;
  indexOfAddresses(addresses: AddressSet): number;
  /**
   * Blocks named by admin `networks` peers. Upstream: "cluster-internal traffic will be checked
   * against the rule as well", so these match pods by their IPs whatever --ipblock-matches-pods says.
   */
  networkBlocks: ReadonlySet<number>;
  /** Equal keys: the same blocks in the same order, the same network blocks. */
  key: string;
}

/** The addresses of the Nodes a `nodes` selector selects (empty when none, or no Node objects). */
export function nodeAddresses(nodes: readonly ClusterNode[], selector: LabelSelector): AddressSet {
  return nodes
    .filter((n) => selector.matches(n.labels))
    .reduce((set, n) => set.union(n.addresses), IntervalSet.empty<bigint>());
}

export function collectIpBlocks(cluster: Cluster): IpBlocks {
  const index = new Map<string, number>();
  const sets: AddressSet[] = [];
  const uses: IpBlockUse[] = [];
  const networkBlocks = new Set<number>();
  const indexOfAddresses = (addresses: AddressSet) => {
    const key = addresses.key();
    let i = index.get(key);
    if (i === undefined) {
      index.set(key, (i = sets.length));
      sets.push(addresses);
    }
    return i;
  };
  const indexOf = (peer: IpBlockPeer) => indexOfAddresses(peer.addresses);
  for (const policy of cluster.policies) {
    for (const [direction, rules, peersKey] of [
      ['ingress', policy.ingress, 'from'],
      ['egress', policy.egress, 'to'],
    ] as const) {
      rules.forEach((rule) => {
        if (rule.peers === 'all') return;
        rule.peers.forEach((peer, j) => {
          if (peer.kind !== 'ipBlock') return;
          uses.push({
            policy,
            field: `spec.${direction}[${rule.index}].${peersKey}[${j}].ipBlock`,
            block: indexOf(peer),
          });
        });
      });
    }
  }
  const addressPeer = (peer: AdminPeer) => {
    if (peer.kind === 'networks') networkBlocks.add(indexOfAddresses(peer.addresses));
    else if (peer.kind === 'nodes') {
      const addresses = nodeAddresses(cluster.nodes, peer.selector);
      if (!addresses.isEmpty()) indexOfAddresses(addresses);
    }
  };
  for (const policy of cluster.adminPolicies) for (const rule of policy.egress) rule.peers.forEach(addressPeer);
  const key = `${[...index.keys()].join('\n')}\u0000${[...networkBlocks].sort((a, b) => a - b).join(',')}`;
  return { sets, uses, indexOf, indexOfAddresses, networkBlocks, key };
}
