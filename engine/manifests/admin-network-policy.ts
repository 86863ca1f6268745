import type { AdminPolicy } from '../model/cluster.js';
import type { SourceRef } from '../model/source.js';
import { parsePriority, requiredRecord } from './admin-fields.js';
import { readV1alpha1Policy } from './admin-policy-v1alpha1.js';
import { optionalRecord, requiredName, type Obj } from './field-error.js';

/**
 * policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy (cluster-scoped). Upstream semantics
 * (apis/v1alpha1/adminnetworkpolicy_types.go): "Policies with lower priority values have higher
 * precedence" (0–1000); "All AdminNetworkPolicy rules have higher precedence than NetworkPolicy
 * or BaselineAdminNetworkPolicy rules"; within a policy, rules apply in the order written.
 * Allow and Deny are final; Pass skips the remaining ANP rules and hands the connection to
 * NetworkPolicy (or, for pods no NetworkPolicy selects, to the BaselineAdminNetworkPolicy).
 * "ANPs with no ingress rules do not affect ingress traffic" (the same for egress).
 */
export function readAdminNetworkPolicy(body: Obj, source: SourceRef): AdminPolicy {
  const meta = optionalRecord(body.metadata, 'metadata');
  const spec = requiredRecord(body.spec, 'spec');
  const priority = parsePriority(spec.priority, 'spec.priority');
  return readV1alpha1Policy(body, source, 'AdminNetworkPolicy', requiredName(meta), 'Admin', priority, [
    'Allow',
    'Deny',
    'Pass',
  ]);
}
