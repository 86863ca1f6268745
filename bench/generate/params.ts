import type { AdminParams } from './admin-policies.js';

/** What a synthetic cluster looks like, in the numbers the benchmark targets speak of. */
export interface ClusterParams {
  seed: number;
  /** Pods in the input, exactly (controllers' templates are not counted). */
  pods: number;
  namespaces: number;
  /** NetworkPolicies, exactly. */
  policies: number;
  /**
   * A distinct `pod-uid` label on every pod that no selector references: pods a policy cannot
   * tell apart must still fall into one class, however many label values they carry.
   */
  uniqueLabels: boolean;
  /** One namespace whose policies all select every pod, each with its own rules (worst case for the matrix). */
  dense: boolean;
  /** AdminNetworkPolicies, ClusterNetworkPolicies and the BaselineAdminNetworkPolicy on top. */
  admin?: AdminParams;
}

/** A Kubernetes object as `kubectl get -o json` returns it. */
export type Body = Record<string, unknown>;
export type Labels = Record<string, string>;
