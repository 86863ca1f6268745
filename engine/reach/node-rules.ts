import type { AdminAction, NamedPort } from '../model/cluster.js';
import type { ConnectionSet } from '../sets/connection-set.js';
import type { PeerSet } from './peer-set.js';
import type { CompiledPorts } from './ports.js';

/** Ingress of a destination: sources in `peer` may open `conn` (named ports already resolved). */
export interface IngressEntry {
  peer: PeerSet;
  conn: ConnectionSet;
}

/** Egress of a source: destinations in `peer` on `ports`, resolved against each destination. */
export interface EgressEntry {
  peer: PeerSet;
  ports: CompiledPorts;
}

/**
 * One admin-tier rule of a node, in evaluation order: connections with a peer in `peer` on
 * `ports` (resolved against the destination) that no earlier entry matched get `action`.
 */
export interface TierEntry {
  peer: PeerSet;
  ports: CompiledPorts;
  action: AdminAction;
}

/**
 * The cluster-scoped tiers of a pod class, each direction's rules in evaluation order: the
 * Admin tier (AdminNetworkPolicy and Admin ClusterNetworkPolicy by priority) and the Baseline
 * tier (Baseline ClusterNetworkPolicy by priority, then the BaselineAdminNetworkPolicy).
 * null: no policy of that tier selects the class for that direction.
 */
export interface NodeTiers {
  adminIngress: readonly TierEntry[] | null;
  adminEgress: readonly TierEntry[] | null;
  baselineIngress: readonly TierEntry[] | null;
  baselineEgress: readonly TierEntry[] | null;
}

/** A node of the class matrix: a pod class, or a group of outside addresses. */
export interface MatrixNode {
  index: number;
  outside: boolean;
  namedPorts: readonly NamedPort[];
  /** null: not isolated for ingress (or not a pod), everything may come in. */
  ingress: readonly IngressEntry[] | null;
  /** null: not isolated for egress (or not a pod), everything may go out. */
  egress: readonly EgressEntry[] | null;
  /** Absent: no AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy selects it. */
  tiers?: NodeTiers;
}
