import type { Cluster, NetworkPolicy, PolicyPeer } from '../model/cluster.js';
import type { AddressSet } from '../sets/address-set.js';

export type IpBlockPeer = Extract<PolicyPeer, { kind: 'ipBlock' }>;

export interface IpBlockUse {
  policy: NetworkPolicy;
  /** e.g. `spec.ingress[0].from[1].ipBlock` */
  field: string;
  block: number;
}

/** Every distinct ipBlock (by addresses) of every policy, and where each is used. */
export interface IpBlocks {
  sets: AddressSet[];
  uses: IpBlockUse[];
  indexOf(peer: IpBlockPeer): number;
  /** Equal keys: the same blocks in the same order. */
  key: string;
}

export function collectIpBlocks(cluster: Cluster): IpBlocks {
  const index = new Map<string, number>();
  const sets: AddressSet[] = [];
  const uses: IpBlockUse[] = [];
  const indexOf = (peer: IpBlockPeer) => {
    const key = peer.addresses.key();
    let i = index.get(key);
    if (i === undefined) {
      index.set(key, (i = sets.length));
      sets.push(peer.addresses);
    }
    return i;
  };
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
  return { sets, uses, indexOf, key: [...index.keys()].join('\n') };
}
