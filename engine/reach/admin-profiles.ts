import type { MatrixNode, TierEntry } from './node-rules.js';
import type { PeerSet } from './peer-set.js';

/**
 * Nodes told apart by no admin-tier rule: a node's profile is the set of admin and baseline
 * tier peers it is in. A tier list's entries only ask whether the other end is in their peer
 * (tier-decision.ts), so without named ports a list's outcome is the same for every node of one
 * profile. A cluster has a few hundred profiles where it has tens of thousands of nodes.
 *
 * Returns each node's profile number and how many profiles there are; undefined when no node
 * has tiers.
 */
export function adminProfiles(nodes: readonly MatrixNode[]): { ofNode: Int32Array; count: number } | undefined {
  if (!nodes.some((n) => n.tiers)) return undefined;
  const lists = new Set<readonly TierEntry[]>();
  for (const n of nodes) {
    if (!n.tiers) continue;
    const { adminIngress, adminEgress, baselineIngress, baselineEgress } = n.tiers;
    for (const list of [adminIngress, adminEgress, baselineIngress, baselineEgress]) if (list) lists.add(list);
  }
  const peers = new Set<PeerSet>();
  for (const list of lists) for (const e of list) peers.add(e.peer);
  const peersOfNode: number[][] = nodes.map(() => []);
  let p = 0;
  for (const peer of peers) {
    for (const m of peer.members) peersOfNode[m]!.push(p);
    p++;
  }
  const profiles = new Map<string, number>();
  const ofNode = new Int32Array(nodes.length);
  peersOfNode.forEach((inPeers, n) => {
    const key = inPeers.join(',');
    let profile = profiles.get(key);
    if (profile === undefined) profiles.set(key, (profile = profiles.size));
    ofNode[n] = profile;
  });
  return { ofNode, count: profiles.size };
}
