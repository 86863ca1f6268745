import type { AdminPolicy } from '../model/cluster.js';
import type { SourceRef } from '../model/source.js';
import { readAdminNetworkPolicy } from './admin-network-policy.js';
import { readBaselineAdminNetworkPolicy } from './baseline-admin-network-policy.js';
import { readClusterNetworkPolicy } from './cluster-network-policy.js';
import type { Obj } from './field-error.js';

const READERS: Record<string, (body: Obj, source: SourceRef) => AdminPolicy> = {
  'policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy': readAdminNetworkPolicy,
  'policy.networking.k8s.io/v1alpha1 BaselineAdminNetworkPolicy': readBaselineAdminNetworkPolicy,
  'policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy': readClusterNetworkPolicy,
};

/** The reader of an admin tier's apiVersion and kind; undefined for anything else (other versions are skipped, and counted). */
export function adminPolicyReader(
  kind: string,
  apiVersion: string,
): ((body: Obj, source: SourceRef) => AdminPolicy) | undefined {
  return READERS[`${apiVersion} ${kind}`];
}
