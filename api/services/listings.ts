import { readNetworkPolicy } from '../../engine/index.js';
import { pageInMemory } from './page.js';
import { namespaceOf, selectedWorkloads } from './policy-selection.js';
import type { Page, PageArgs, PolicyInfo, WorkloadInfo } from './query-service.js';
import type { SnapshotObjects, StoredPolicy } from '../../store/history/objects.js';

/** Workloads at a snapshot with their pod variants, by id. */
export function workloadPage(
  objects: SnapshotObjects,
  namespace: string | undefined,
  page?: PageArgs,
): Page<WorkloadInfo> {
  const workloads = objects.workloads
    .filter((w) => namespace === undefined || w.namespace === namespace)
    .map((w): WorkloadInfo => ({
      id: w.id,
      namespace: w.namespace,
      name: w.name,
      kind: w.kind,
      hostNetwork: w.hostNetwork,
      variants: w.variants.map((v) => ({ labels: { ...v.labels }, namedPorts: [...v.namedPorts] })),
    }));
  return pageInMemory('workloads', workloads, page, 1, (w) => [w.id]);
}

function policyTypes(p: StoredPolicy): PolicyInfo['policyTypes'] {
  if (p.kind !== 'NetworkPolicy') return null;
  const policy = readNetworkPolicy(p.body, { file: p.key, doc: 0 });
  return [...(policy.affectsIngress ? ['Ingress' as const] : []), ...(policy.affectsEgress ? ['Egress' as const] : [])];
}

/** Policies at a snapshot with the workloads each selects, by kind then key. */
export function policyPage(objects: SnapshotObjects, namespace: string | undefined, page?: PageArgs): Page<PolicyInfo> {
  const policies = objects.policies
    .filter((p) => namespace === undefined || namespaceOf(p) === namespace)
    .map((p): PolicyInfo => {
      const ns = namespaceOf(p);
      return {
        kind: p.kind,
        key: p.key,
        namespace: ns,
        name: ns === null ? p.key : p.key.slice(ns.length + 1),
        policyTypes: policyTypes(p),
        selects: selectedWorkloads(p, objects),
        spec: p.body.spec ?? null,
      };
    });
  return pageInMemory('policies', policies, page, 2, (p) => [p.kind, p.key]);
}
