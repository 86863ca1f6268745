/** One ClusterRole rule line: what the collector may read, resource by resource. */
export interface RbacPermission {
  /** `''` is the core group, as in a ClusterRole's `apiGroups`. */
  apiGroup: string;
  resource: string;
  verbs: readonly ('get' | 'list' | 'watch')[];
}

const READ = ['get', 'list', 'watch'] as const;

/**
 * Everything the Kubernetes collector reads, cluster-wide. Written out rather than derived
 * from the collector's resource table so that deploy manifests and this list are checked
 * against what the collector actually requests (a test does), not against themselves.
 *
 * The collector itself only lists; get and watch are granted so that the same role serves
 * watch-based collection without another RBAC change. Discovery (`GET /apis`) needs no rule:
 * the built-in `system:discovery` role allows it to every authenticated user.
 */
export const REQUIRED_RBAC: readonly RbacPermission[] = [
  { apiGroup: '', resource: 'namespaces', verbs: READ },
  { apiGroup: '', resource: 'pods', verbs: READ },
  { apiGroup: '', resource: 'services', verbs: READ },
  // Only for admin policies' `nodes` peers; without it those peers match no node (warned).
  { apiGroup: '', resource: 'nodes', verbs: READ },
  { apiGroup: 'apps', resource: 'replicasets', verbs: READ },
  { apiGroup: 'batch', resource: 'jobs', verbs: READ },
  { apiGroup: 'networking.k8s.io', resource: 'networkpolicies', verbs: READ },
  { apiGroup: 'policy.networking.k8s.io', resource: 'adminnetworkpolicies', verbs: READ },
  { apiGroup: 'policy.networking.k8s.io', resource: 'baselineadminnetworkpolicies', verbs: READ },
  { apiGroup: 'policy.networking.k8s.io', resource: 'clusternetworkpolicies', verbs: READ },
];
