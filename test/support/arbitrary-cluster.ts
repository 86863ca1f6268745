import fc from 'fast-check';
import { PROTOCOLS, type Protocol } from '../../engine/index.js';

/**
 * Random small clusters as raw API objects: a few namespaces of pods and a few NetworkPolicies
 * over a small vocabulary (labels, ports, CIDRs), so selectors often match and often miss.
 * Every object is one the API server would accept. `cluster` generates a case, `toBodies`
 * turns it into objects; the parts are exported for tests that edit a case.
 */

/** A raw API object, as from YAML. */
export type Body = Record<string, unknown>;

// ---- vocabulary: small, so selectors often match and often miss ----

export const NAMESPACES = ['alpha', 'beta', 'gamma', 'delta'];
export const POD_LABEL_KEYS = ['app', 'tier', 'team'];
export const NS_LABEL_KEYS = ['env', 'team'];
export const LABEL_VALUES = ['a', 'b', 'c'];
export const PORT_NAMES = ['http', 'dns', 'db', 'metrics'];
export const PORT_NUMBERS = [53, 80, 81, 443, 5432, 8080, 8081];

/** Each cidr with except candidates that are strict subsets of it, as the API server requires. */
export const IP_BLOCKS: Record<string, string[]> = {
  '10.0.0.0/8': ['10.0.0.0/16', '10.0.5.0/24', '10.200.0.0/16', '10.0.5.5/32', '10.0.0.0/9'],
  '10.0.0.0/16': ['10.0.0.0/24', '10.0.128.0/17', '10.0.5.0/24'],
  '10.0.5.0/24': ['10.0.5.5/32', '10.0.5.128/25'],
  '192.168.0.0/16': ['192.168.1.0/24', '192.168.0.0/17'],
  '0.0.0.0/0': ['10.0.0.0/8', '192.168.0.0/16', '8.8.8.8/32'],
  '2001:db8::/32': ['2001:db8::/64', '2001:db8:1::/48'],
  '::/0': ['2001:db8::/32'],
};

export const POD_IPS = ['10.0.0.1', '10.0.5.5', '10.0.5.200', '10.0.128.1', '10.0.255.255'];

// ---- arbitraries ----

export const protocol = fc.constantFrom<Protocol>(...PROTOCOLS);

export const labels = (keys: string[], values: string[]) =>
  fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(...values), { maxKeys: keys.length });

export const expression = (keys: string[], values: string[]) =>
  fc.oneof(
    fc.record({
      key: fc.constantFrom(...keys),
      operator: fc.constantFrom('In', 'NotIn'),
      values: fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 2 }),
    }),
    fc.record({ key: fc.constantFrom(...keys), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
  );

/** Includes `{}` (everything) and selectors with only matchLabels or only matchExpressions. */
export const selector = (keys: string[], values: string[]) =>
  fc.record(
    {
      matchLabels: labels(keys, values),
      matchExpressions: fc.array(expression(keys, values), { maxLength: 2 }),
    },
    { requiredKeys: [] },
  );

export const podSelector = selector(POD_LABEL_KEYS, LABEL_VALUES);
/** Namespace selectors may also use the automatic name label. */
export const namespaceSelector = fc.oneof(
  selector(NS_LABEL_KEYS, LABEL_VALUES),
  selector(['kubernetes.io/metadata.name'], NAMESPACES),
);

export const ipBlock = fc.constantFrom(...Object.keys(IP_BLOCKS)).chain((cidr) =>
  fc.record(
    {
      cidr: fc.constant(cidr),
      except: fc.subarray(IP_BLOCKS[cidr]!, { maxLength: Math.min(2, IP_BLOCKS[cidr]!.length) }),
    },
    { requiredKeys: ['cidr'] },
  ),
);

export const peer = fc.oneof(
  fc.record({ podSelector }),
  fc.record({ namespaceSelector }),
  fc.record({ podSelector, namespaceSelector }),
  fc.record({ ipBlock }),
);

export const optionalProtocol = fc.record({ protocol }, { requiredKeys: [] });

export const portEntry = fc.oneof(
  fc.tuple(optionalProtocol, fc.constantFrom(...PORT_NUMBERS)).map(([p, port]) => ({ ...p, port })),
  fc
    .tuple(optionalProtocol, fc.constantFrom(...PORT_NUMBERS), fc.constantFrom(0, 1, 2, 400, 8000))
    .map(([p, port, width]) => ({ ...p, port, endPort: port + width })),
  fc.tuple(optionalProtocol, fc.constantFrom(...PORT_NAMES)).map(([p, port]) => ({ ...p, port })),
  optionalProtocol, // only a protocol (or nothing: TCP): every port of it
);

/** from/to and ports each absent, empty or listed. */
export const rule = (peersKey: 'from' | 'to') =>
  fc.record(
    { [peersKey]: fc.array(peer, { maxLength: 3 }), ports: fc.array(portEntry, { maxLength: 3 }) },
    { requiredKeys: [] },
  );

export const policyTypes = fc.constantFrom([], ['Ingress'], ['Egress'], ['Ingress', 'Egress'], ['Egress', 'Ingress']);

export const policySpec = fc.record(
  {
    podSelector,
    policyTypes,
    ingress: fc.array(rule('from'), { maxLength: 3 }),
    egress: fc.array(rule('to'), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

/** Named container ports, names unique within the pod as the API requires. */
export const containerPorts = fc.uniqueArray(
  fc.record({ name: fc.constantFrom(...PORT_NAMES), containerPort: fc.constantFrom(...PORT_NUMBERS), protocol }),
  { selector: (p) => p.name, maxLength: 3 },
);

export const podIp = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(...POD_IPS),
  fc.tuple(fc.nat(255), fc.nat(255)).map(([x, y]) => `10.0.${x}.${y}`),
);

/** A pod: labels, named container ports, maybe an IP, now and then on the host network. */
export const pod = fc.record({
  labels: labels(POD_LABEL_KEYS, LABEL_VALUES),
  ports: containerPorts,
  ip: podIp,
  hostNetwork: fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

export const namespace = fc.record({
  labels: labels(NS_LABEL_KEYS, LABEL_VALUES),
  /** Sometimes only the pods say the namespace exists; it still has its name label. */
  declared: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  pods: fc.array(pod, { minLength: 2, maxLength: 6 }),
});

/** A case: 2–4 namespaces (`NAMESPACES` in order) of 2–6 pods each, and up to 5 policies among them. */
export const cluster = fc.integer({ min: 2, max: 4 }).chain((n) =>
  fc.record({
    namespaces: fc.array(namespace, { minLength: n, maxLength: n }),
    policies: fc.array(fc.record({ namespace: fc.constantFrom(...NAMESPACES.slice(0, n)), spec: policySpec }), {
      maxLength: 5,
    }),
  }),
);

export type ClusterCase = typeof cluster extends fc.Arbitrary<infer C> ? C : never;

/** The case as API objects: pods `pod-<j>` per namespace, policies `policy-<i>` in list order. */
export function toBodies(c: ClusterCase): Body[] {
  const bodies: Body[] = [];
  c.namespaces.forEach((ns, i) => {
    const name = NAMESPACES[i]!;
    if (ns.declared) bodies.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: ns.labels } });
    ns.pods.forEach((p, j) => {
      bodies.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `pod-${j}`, namespace: name, labels: p.labels },
        spec: { hostNetwork: p.hostNetwork, containers: [{ name: 'main', image: 'app', ports: p.ports }] },
        ...(p.ip ? { status: { podIP: p.ip, podIPs: [{ ip: p.ip }] } } : {}),
      });
    });
  });
  c.policies.forEach((p, i) => {
    bodies.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `policy-${i}`, namespace: p.namespace },
      spec: p.spec,
    });
  });
  return bodies;
}
