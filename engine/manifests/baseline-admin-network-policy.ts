import { BASELINE_PRIORITY, type AdminPolicy } from '../model/cluster.js';
import type { SourceRef } from '../model/source.js';
import { readV1alpha1Policy } from './admin-policy-v1alpha1.js';
import { FieldError, optionalRecord, Problems, requiredName, type Obj } from './field-error.js';

/**
 * policy.networking.k8s.io/v1alpha1 BaselineAdminNetworkPolicy: a singleton the CRD requires
 * to be named `default`, with Allow and Deny only (apis/v1alpha1/baselineadminnetworkpolicy_types.go).
 * Its rules apply, in order, to what NetworkPolicy leaves unisolated: "Rules ... are applied to
 * the selected objects AFTER AdminNetworkPolicy and NetworkPolicy rules"; traffic no rule
 * matches is allowed (the Kubernetes default).
 */
export function readBaselineAdminNetworkPolicy(body: Obj, source: SourceRef): AdminPolicy {
  const problems = new Problems();
  const meta = problems.read({}, () => optionalRecord(body.metadata, 'metadata'));
  const name = problems.read('', () => requiredName(meta));
  if (name !== '' && name !== 'default') {
    problems.add(new FieldError('metadata.name', `must be "default" (only one BaselineAdminNetworkPolicy may exist)`));
  }
  const policy = problems.read(undefined, () =>
    readV1alpha1Policy(body, source, 'BaselineAdminNetworkPolicy', name, 'Baseline', BASELINE_PRIORITY, [
      'Allow',
      'Deny',
    ]),
  );
  return problems.done(policy!);
}
