import fc from 'fast-check';
import {
  cluster,
  IP_BLOCKS,
  namespaceSelector,
  PORT_NAMES,
  PORT_NUMBERS,
  podSelector,
  protocol,
  toBodies,
  type Body,
  type ClusterCase,
} from './arbitrary-cluster.js';

/**
 * Random admin tiers over the random clusters of arbitrary-cluster.ts: AdminNetworkPolicies,
 * ClusterNetworkPolicies in both tiers and the BaselineAdminNetworkPolicy, Pass-heavy, from a
 * few priorities (so equal priorities are common), with subjects that overlap. Only objects
 * the API server would accept, plus now and then a peer of a kind no version knows (which
 * must fail closed).
 */

const PRIORITIES = [1, 2, 2, 3];
const action = (allow: string) => fc.constantFrom(allow, 'Deny', 'Pass', 'Pass');

const namespacedPod = fc.record({ namespaceSelector, podSelector });
const podPeer = fc.oneof(fc.record({ namespaces: namespaceSelector }), fc.record({ pods: namespacedPod }));
const addressPeer = fc.oneof(
  fc.record({ networks: fc.subarray(Object.keys(IP_BLOCKS), { minLength: 1, maxLength: 2 }) }),
  fc.record({ nodes: fc.record({ matchLabels: fc.constant({ role: 'x' }) }) }),
);
const unknownPeer = fc.constant({ serviceAccounts: { names: ['a'] } });
const peers = (withAddresses: boolean) =>
  fc.array(
    fc.oneof(
      { weight: 6, arbitrary: podPeer },
      { weight: withAddresses ? 3 : 0, arbitrary: addressPeer },
      { weight: 1, arbitrary: unknownPeer },
    ),
    { minLength: 1, maxLength: 2 },
  );

const start = fc.constantFrom(...PORT_NUMBERS);
const v1alpha1Port = (named: boolean) =>
  fc.oneof(
    fc.record({ portNumber: fc.record({ protocol, port: start }) }),
    start.chain((s) =>
      fc.record({ portRange: fc.record({ protocol, start: fc.constant(s), end: fc.constantFrom(s + 1, s + 400) }) }),
    ),
    ...(named ? [fc.record({ namedPort: fc.constantFrom(...PORT_NAMES) })] : []),
  );
const destinationPort = fc.oneof(
  fc.record({ number: start }),
  start.chain((s) => fc.record({ range: fc.record({ start: fc.constant(s), end: fc.constantFrom(s + 1, s + 400) }) })),
);
const v1alpha2Protocol = (named: boolean) =>
  fc.oneof(
    fc.record({ tcp: fc.record({ destinationPort }) }),
    fc.record({ udp: fc.record({ destinationPort }) }),
    fc.record({ sctp: fc.record({ destinationPort }) }),
    ...(named ? [fc.record({ destinationNamedPort: fc.constantFrom(...PORT_NAMES) })] : []),
  );

/** A rule; egress rules naming addresses get no named ports (the CRDs' XValidation). */
function rule(version: 'v1alpha1' | 'v1alpha2', direction: 'from' | 'to', actions: fc.Arbitrary<string>) {
  return fc.boolean().chain((addresses) => {
    const withAddresses = direction === 'to' && addresses;
    const portsKey = version === 'v1alpha1' ? 'ports' : 'protocols';
    const port: fc.Arbitrary<Body> =
      version === 'v1alpha1' ? v1alpha1Port(!withAddresses) : v1alpha2Protocol(!withAddresses);
    return fc.record(
      {
        action: actions,
        [direction]: peers(withAddresses),
        [portsKey]: fc.array(port, { minLength: 1, maxLength: 2 }),
      },
      { requiredKeys: ['action', direction] },
    );
  });
}

const subject = fc.oneof(fc.record({ namespaces: namespaceSelector }), fc.record({ pods: namespacedPod }));

function spec(version: 'v1alpha1' | 'v1alpha2', actions: fc.Arbitrary<string>) {
  return fc.record(
    {
      subject,
      ingress: fc.array(rule(version, 'from', actions), { maxLength: 3 }),
      egress: fc.array(rule(version, 'to', actions), { maxLength: 3 }),
    },
    { requiredKeys: ['subject'] },
  );
}

const anp = fc
  .record({ priority: fc.constantFrom(...PRIORITIES), spec: spec('v1alpha1', action('Allow')) })
  .map(({ priority, spec: s }) => ({
    kind: 'AdminNetworkPolicy',
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    priority,
    spec: s,
  }));
const cnpAdmin = fc.record({
  tier: fc.constantFrom('Admin', 'Baseline'),
  priority: fc.constantFrom(...PRIORITIES),
  spec: spec('v1alpha2', action('Accept')),
});
const cnpPolicy = cnpAdmin.map(({ tier, priority, spec: s }) => ({
  kind: 'ClusterNetworkPolicy',
  apiVersion: 'policy.networking.k8s.io/v1alpha2',
  spec: { tier, priority, ...s },
}));
const banp = spec('v1alpha1', fc.constantFrom('Allow', 'Deny'));

export const adminTiers = fc.record({
  policies: fc.array(fc.oneof(anp, cnpPolicy), { maxLength: 4 }),
  baseline: fc.option(banp, { nil: undefined }),
});

export const tieredCluster = fc.record({ cluster, admin: adminTiers });
export type TieredCase = { cluster: ClusterCase; admin: typeof adminTiers extends fc.Arbitrary<infer A> ? A : never };

/** The case as API objects: the cluster's, then `admin-<i>` policies and the `default` baseline. */
export function tieredBodies(c: TieredCase): Body[] {
  const bodies = toBodies(c.cluster);
  c.admin.policies.forEach((p, i) => {
    const { kind, apiVersion, spec: s } = p as { kind: string; apiVersion: string; spec: Body; priority?: number };
    const priority = (p as { priority?: number }).priority;
    bodies.push({
      apiVersion,
      kind,
      metadata: { name: `admin-${i}` },
      spec: priority === undefined ? s : { priority, ...s },
    });
  });
  if (c.admin.baseline) {
    bodies.push({
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      kind: 'BaselineAdminNetworkPolicy',
      metadata: { name: 'default' },
      spec: c.admin.baseline,
    });
  }
  return bodies;
}
