import type { Cluster } from '../model/cluster.js';
import { ALL_V4, ALL_V6, fromBigInt, parseAddress, type AddressSet, type ParsedCidr } from '../sets/address-set.js';

/**
 * Admin `networks` peers match pods by IP too (upstream: "cluster-internal traffic will be
 * checked against the rule as well"), so a pod's answer depends on which of them hold its
 * addresses. History does not keep pod IPs (they change on every restart); it keeps, per pod
 * address, the `networks` peers that held it (an address cell), from which a stand-in address
 * with the same answer is rebuilt.
 */

/** One pod address as history keeps it: its family and the keys of the `networks` peers holding it, sorted. */
export interface AddressCell {
  family: 4 | 6;
  networks: string[];
}

/** A `networks` peer's key: its CIDRs, canonical and sorted (the same peer in any policy). */
export function networksKey(cidrs: readonly Pick<ParsedCidr, 'text'>[]): string {
  return [...new Set(cidrs.map((c) => c.text))].sort().join(',');
}

/** The cluster's admin `networks` peers by key; empty when no admin policy has one. */
export function networksPeers(cluster: Cluster): Map<string, AddressSet> {
  const peers = new Map<string, AddressSet>();
  for (const policy of cluster.adminPolicies) {
    for (const rule of policy.egress) {
      for (const peer of rule.peers) if (peer.kind === 'networks') peers.set(networksKey(peer.cidrs), peer.addresses);
    }
  }
  return peers;
}

const familyOf = (address: bigint): 4 | 6 => (ALL_V4.contains(address) ? 4 : 6);

/** The cells of a pod's addresses (unparseable ones left out), distinct and sorted. */
export function addressCells(peers: ReadonlyMap<string, AddressSet>, ips: readonly string[]): AddressCell[] {
  const cells = new Map<string, AddressCell>();
  for (const ip of ips) {
    const address = parseAddress(ip);
    if (address === undefined) continue;
    const networks = [...peers].filter(([, set]) => set.contains(address)).map(([key]) => key);
    const cell: AddressCell = { family: familyOf(address), networks: networks.sort() };
    cells.set(JSON.stringify(cell), cell);
  }
  return [...cells.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c);
}

/**
 * An address in exactly the cell's peers (inside each, outside every other), of its family;
 * undefined when none is (the policies changed since the cell was recorded, which history's
 * versioning rules out for one snapshot).
 */
export function standInAddress(peers: ReadonlyMap<string, AddressSet>, cell: AddressCell): string | undefined {
  let region = cell.family === 4 ? ALL_V4 : ALL_V6;
  for (const [key, set] of peers) region = cell.networks.includes(key) ? region.intersect(set) : region.subtract(set);
  const first = region.ranges[0];
  return first === undefined ? undefined : fromBigInt(first[0]);
}
