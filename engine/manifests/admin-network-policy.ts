import type { AdminPolicy } from '../model/cluster.js';
import type { SourceRef } from '../model/source.js';
import { parsePriority } from './admin-fields.js';
import { readV1alpha1Policy } from './admin-policy-v1alpha1.js';
import { isRecord, optionalRecord, Problems, requiredName, type Obj } from './field-error.js';

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
  const problems = new Problems();
  const meta = problems.read({}, () => optionalRecord(body.metadata, 'metadata'));
  const name = problems.read('', () => requiredName(meta));
  // A missing spec is reported by readV1alpha1Policy, once.
  const spec = body.spec;
  const priority = isRecord(spec) ? problems.read(0, () => parsePriority(spec.priority, 'spec.priority')) : 0;
  const policy = problems.read(undefined, () =>
    readV1alpha1Policy(body, source, 'AdminNetworkPolicy', name, 'Admin', priority, ['Allow', 'Deny', 'Pass']),
  );
  return problems.done(policy!);
}
