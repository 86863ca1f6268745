/** A list endpoint the fake serves, with the shapes the real apiserver gives it. */
export interface ServedResource {
  plural: FakeResource;
  listKind: string;
  group: string;
  version: string;
  /**
   * Built-in lists are encoded from typed Go structs whose items carry no kind or apiVersion;
   * CRD lists are unstructured and every item keeps both.
   */
  custom: boolean;
}

export type FakeResource =
  | 'namespaces'
  | 'pods'
  | 'services'
  | 'nodes'
  | 'networkpolicies'
  | 'replicasets'
  | 'jobs'
  | 'adminnetworkpolicies'
  | 'baselineadminnetworkpolicies'
  | 'clusternetworkpolicies';

export const SERVED: readonly ServedResource[] = [
  { plural: 'namespaces', listKind: 'NamespaceList', group: '', version: 'v1', custom: false },
  { plural: 'pods', listKind: 'PodList', group: '', version: 'v1', custom: false },
  { plural: 'services', listKind: 'ServiceList', group: '', version: 'v1', custom: false },
  { plural: 'nodes', listKind: 'NodeList', group: '', version: 'v1', custom: false },
  {
    plural: 'networkpolicies',
    listKind: 'NetworkPolicyList',
    group: 'networking.k8s.io',
    version: 'v1',
    custom: false,
  },
  { plural: 'replicasets', listKind: 'ReplicaSetList', group: 'apps', version: 'v1', custom: false },
  { plural: 'jobs', listKind: 'JobList', group: 'batch', version: 'v1', custom: false },
  {
    plural: 'adminnetworkpolicies',
    listKind: 'AdminNetworkPolicyList',
    group: 'policy.networking.k8s.io',
    version: 'v1alpha1',
    custom: true,
  },
  {
    plural: 'baselineadminnetworkpolicies',
    listKind: 'BaselineAdminNetworkPolicyList',
    group: 'policy.networking.k8s.io',
    version: 'v1alpha1',
    custom: true,
  },
  {
    plural: 'clusternetworkpolicies',
    listKind: 'ClusterNetworkPolicyList',
    group: 'policy.networking.k8s.io',
    version: 'v1alpha2',
    custom: true,
  },
];

export function apiVersionOf(resource: ServedResource): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

export function pathOf(resource: ServedResource): string {
  return `${resource.group === '' ? '/api' : '/apis'}/${apiVersionOf(resource)}/${resource.plural}`;
}

/** Built-in groups every cluster serves besides the core group, for a realistic discovery answer. */
export const BUILT_IN_GROUPS: readonly { name: string; versions: string[] }[] = [
  { name: 'apps', versions: ['v1'] },
  { name: 'batch', versions: ['v1'] },
  { name: 'networking.k8s.io', versions: ['v1'] },
  { name: 'policy', versions: ['v1'] },
];
