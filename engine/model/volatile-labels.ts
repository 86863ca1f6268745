/**
 * Labels controllers stamp on pods: they differ per pod or per rollout, but they do not make
 * pods different workloads' variants (a rollout's old and new pods with equal other labels are
 * one variant, a StatefulSet's uniform replicas too). History stores variants without them.
 */
export const VOLATILE_LABELS: readonly string[] = [
  'pod-template-hash',
  'controller-revision-hash',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-name',
  'controller-uid',
  'job-name',
];

const VOLATILE: ReadonlySet<string> = new Set(VOLATILE_LABELS);

/** Equal labels, the volatile ones aside: the two pods are one variant as far as labels go. */
export function sameVariantLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  if (a === b) return true;
  let counted = 0;
  for (const k in a) {
    if (VOLATILE.has(k)) continue;
    if (a[k] !== b[k]) return false;
    counted++;
  }
  for (const k in b) if (!VOLATILE.has(k)) counted--;
  return counted === 0;
}
