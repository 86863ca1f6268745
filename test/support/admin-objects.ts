/** Small builders of admin-tier objects (policy.networking.k8s.io) for tests. */

type Body = Record<string, unknown>;

export const nsSelector = (name: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });

export const anp = (name: string, priority: number, spec: Body): Body => ({
  apiVersion: 'policy.networking.k8s.io/v1alpha1',
  kind: 'AdminNetworkPolicy',
  metadata: { name },
  spec: { priority, ...spec },
});

export const banp = (spec: Body, name = 'default'): Body => ({
  apiVersion: 'policy.networking.k8s.io/v1alpha1',
  kind: 'BaselineAdminNetworkPolicy',
  metadata: { name },
  spec,
});

export const cnp = (name: string, tier: 'Admin' | 'Baseline', priority: number, spec: Body): Body => ({
  apiVersion: 'policy.networking.k8s.io/v1alpha2',
  kind: 'ClusterNetworkPolicy',
  metadata: { name },
  spec: { tier, priority, ...spec },
});

export const node = (name: string, labels: Record<string, string>, ip: string): Body => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels },
  status: {
    addresses: [
      { type: 'InternalIP', address: ip },
      { type: 'Hostname', address: name },
    ],
  },
});
