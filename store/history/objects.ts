import type { Cluster, InputError, RawObject, Workload } from '../../engine/index.js';
import type { VersionedItem } from '../versions.repository.js';
import { hashOf } from './content-hash.js';

/** Kinds stored as versions straight from the API object (cleaned of what changes on every read). */
const POLICY_KINDS = new Set([
  'NetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
]);

/**
 * Labels controllers stamp on pods: they change with every rollout but no policy selects on
 * them, so storing them would write a new workload version per rollout.
 */
const VOLATILE_LABELS = [
  'pod-template-hash',
  'controller-revision-hash',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-name',
  'controller-uid',
  'job-name',
];

function item(kind: string, key: string, body: unknown): VersionedItem {
  return { kind, key, hash: hashOf(body), body };
}

function withoutVolatile(labels: Readonly<Record<string, string>>): Record<string, string> {
  const out = { ...labels };
  for (const k of VOLATILE_LABELS) delete out[k];
  return out;
}

/** A workload as history keeps it: its distinct pod variants, not its pods. */
export function workloadBody(w: Workload): unknown {
  const variants = new Map<string, { labels: Record<string, string>; namedPorts: unknown }>();
  for (const pod of w.pods) {
    const variant = {
      labels: withoutVolatile(pod.labels),
      namedPorts: [...pod.namedPorts].sort((a, b) => a.name.localeCompare(b.name)),
    };
    variants.set(hashOf(variant), variant);
  }
  return {
    namespace: w.namespace,
    name: w.name,
    kind: w.kind,
    hostNetwork: w.hostNetwork,
    variants: [...variants.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v),
  };
}

function cleanPolicy(body: Record<string, unknown>): unknown {
  const meta = (body.metadata ?? {}) as Record<string, unknown>;
  return {
    apiVersion: body.apiVersion,
    kind: body.kind,
    metadata: { name: meta.name, namespace: meta.namespace, labels: meta.labels },
    spec: body.spec,
  };
}

function sourceKey(s: { file: string; doc: number; item?: number }): string {
  return `${s.file}\u0000${s.doc}\u0000${s.item ?? ''}`;
}

/**
 * The objects a snapshot stores as versions: namespaces, workloads and services as the engine
 * normalized them, policies (admin tiers too) as declared. Invalid objects are left out.
 */
export function objectItems(
  cluster: Cluster,
  raw: readonly RawObject[],
  invalid: readonly InputError[],
): VersionedItem[] {
  const items: VersionedItem[] = [];
  for (const ns of cluster.namespaces.values()) items.push(item('Namespace', ns.name, { labels: ns.labels }));
  for (const w of cluster.workloads) items.push(item('Workload', w.id, workloadBody(w)));
  for (const s of cluster.services) {
    items.push(item('Service', `${s.namespace}/${s.name}`, { selector: s.selector ?? null, ports: s.ports }));
  }
  const bad = new Set(invalid.map((e) => sourceKey(e.source)));
  for (const { source, body } of raw) {
    if (typeof body.kind !== 'string' || !POLICY_KINDS.has(body.kind) || bad.has(sourceKey(source))) continue;
    const meta = (body.metadata ?? {}) as Record<string, unknown>;
    const key = meta.namespace ? `${meta.namespace}/${meta.name}` : `${meta.name}`;
    items.push(item(body.kind, key, cleanPolicy(body)));
  }
  return items;
}
