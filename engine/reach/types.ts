import type { ConnectionSet } from '../sets/connection-set.js';

/** Options of one computation. */
export interface AnalyzeOptions {
  /**
   * Whether ipBlock peers also match pod addresses. Kubernetes leaves it to the CNI;
   * default no (ipBlocks are for addresses outside the cluster).
   */
  ipBlockMatchesPods?: boolean;
}

/** One allowed connection between two peers (workload ids or outside-address groups). */
export interface Connection {
  src: string;
  dst: string;
  allowed: ConnectionSet;
}

export interface Summary {
  workloads: number;
  policies: number;
  /** AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy objects. */
  adminPolicies: number;
  /** Workloads with a pod whose ingress nothing restricts: no NetworkPolicy isolates it, no admin or baseline Deny applies to it. */
  unprotected: string[];
  /** Workloads every outside address may reach on some port. */
  openToWorld: string[];
  /** Workloads some outside address may reach. */
  exposedToOutside: string[];
  /** Workloads some admin-tier rule applies to (as subject, in some direction): their exposure is not NetworkPolicy's alone. */
  adminDecided: string[];
  /** Workloads on the node's network: NetworkPolicy does not govern them. */
  hostNetwork: string[];
}
