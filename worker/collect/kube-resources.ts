/** One list endpoint the collector reads. */
export interface KubeResource {
  /** The resource name as RBAC and URLs spell it, e.g. `pods`. */
  plural: string;
  /** The kind of each item, e.g. `Pod`. */
  kind: string;
  /** API group; `''` is the core group. */
  group: string;
  version: string;
  /** Absent on many clusters (a CRD that may not be installed); its absence is not an error. */
  optional: boolean;
}

/** `v1` for the core group, `group/version` otherwise, as in an object's apiVersion. */
export function groupVersion(resource: Pick<KubeResource, 'group' | 'version'>): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/** The cluster-wide list path: core resources live under /api, the rest under /apis/<group>. */
export function listPath(resource: KubeResource): string {
  const prefix = resource.group === '' ? '/api' : '/apis';
  return `${prefix}/${groupVersion(resource)}/${resource.plural}`;
}

/**
 * Read on every cluster: the objects the reachability engine models. ReplicaSets are read for
 * their ownerReferences only: a pod names its ReplicaSet, whose name changes with every
 * rollout (`web-<pod-template-hash>`); the ReplicaSet names the Deployment, which does not.
 * Jobs likewise lead a CronJob's pods (a new Job per run) to the CronJob.
 */
export const CORE_RESOURCES: readonly KubeResource[] = [
  { plural: 'namespaces', kind: 'Namespace', group: '', version: 'v1', optional: false },
  { plural: 'pods', kind: 'Pod', group: '', version: 'v1', optional: false },
  { plural: 'replicasets', kind: 'ReplicaSet', group: 'apps', version: 'v1', optional: false },
  { plural: 'jobs', kind: 'Job', group: 'batch', version: 'v1', optional: false },
  { plural: 'services', kind: 'Service', group: '', version: 'v1', optional: false },
  { plural: 'networkpolicies', kind: 'NetworkPolicy', group: 'networking.k8s.io', version: 'v1', optional: false },
];

export const ADMIN_POLICY_GROUP = 'policy.networking.k8s.io';

/**
 * The sig-network network-policy-api CRDs. v1alpha1 holds AdminNetworkPolicy and
 * BaselineAdminNetworkPolicy; v1alpha2 replaces both with ClusterNetworkPolicy. A cluster
 * may serve either, both or neither.
 */
export const ADMIN_POLICY_RESOURCES: readonly KubeResource[] = [
  {
    plural: 'adminnetworkpolicies',
    kind: 'AdminNetworkPolicy',
    group: ADMIN_POLICY_GROUP,
    version: 'v1alpha1',
    optional: true,
  },
  {
    plural: 'baselineadminnetworkpolicies',
    kind: 'BaselineAdminNetworkPolicy',
    group: ADMIN_POLICY_GROUP,
    version: 'v1alpha1',
    optional: true,
  },
  {
    plural: 'clusternetworkpolicies',
    kind: 'ClusterNetworkPolicy',
    group: ADMIN_POLICY_GROUP,
    version: 'v1alpha2',
    optional: true,
  },
];

/**
 * Nodes matter only to admin policies' `nodes` peers, which select them by label and match the
 * IPs in their status.addresses: read where the cluster has admin policies. Optional in RBAC
 * terms: a collector not allowed to list them (403) leaves them out, says so as a snapshot
 * problem, and the engine warns at each `nodes` peer; the snapshot goes on.
 */
export const NODE_RESOURCE: KubeResource = { plural: 'nodes', kind: 'Node', group: '', version: 'v1', optional: true };
