import { parseLabelSelector, type LabelSelector } from '../../engine/index.js';
import { someVariant, type SnapshotObjects, type StoredPolicy } from '../../store/history/objects.js';

/** A NetworkPolicy's podSelector (absent: every pod of its namespace). */
export function podSelectorOf(policy: StoredPolicy): LabelSelector {
  const spec = (policy.body.spec ?? {}) as Record<string, unknown>;
  // Stored policies were accepted when stored: read them as then, without the newer label syntax checks.
  return parseLabelSelector(spec.podSelector, { labelSyntax: false });
}

export function namespaceOf(policy: StoredPolicy): string | null {
  const slash = policy.key.indexOf('/');
  return slash === -1 ? null : policy.key.slice(0, slash);
}

/**
 * Workloads a NetworkPolicy selects: those of its namespace with some pod variant its
 * podSelector matches. Null for the admin tiers, which reachlog stores but does not evaluate.
 */
export function selectedWorkloads(policy: StoredPolicy, objects: SnapshotObjects): string[] | null {
  if (policy.kind !== 'NetworkPolicy') return null;
  const namespace = namespaceOf(policy);
  const selector = podSelectorOf(policy);
  return objects.workloads
    .filter((w) => w.namespace === namespace && someVariant(w, (l) => selector.matches(l)))
    .map((w) => w.id);
}
