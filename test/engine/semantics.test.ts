import { describe, expect, test } from 'vitest';
import { analyze, type Protocol } from '../../engine/index.js';
import { addressInCidr } from '../support/naive-evaluator.js';

/**
 * One small example per NetworkPolicy rule that is easy to get wrong, including each place where
 * the tutorial in shared/seed/network-policies-tutorial.md says otherwise. Kubernetes wins.
 * References are to the networking.k8s.io/v1 API (NetworkPolicySpec and friends).
 */

type Body = Record<string, unknown>;
type Port = { name: string; containerPort: number; protocol?: Protocol };

const namespace = (name: string, labels: Record<string, string> = {}): Body => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});

const pod = (
  ns: string,
  name: string,
  labels: Record<string, string> = {},
  extra: { ports?: Port[]; hostNetwork?: boolean; ip?: string } = {},
): Body => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels },
  spec: {
    hostNetwork: extra.hostNetwork ?? false,
    containers: [{ name: 'main', image: 'app', ports: extra.ports ?? [] }],
  },
  ...(extra.ip ? { status: { podIP: extra.ip, podIPs: [{ ip: extra.ip }] } } : {}),
});

const policy = (ns: string, name: string, spec: Body): Body => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: ns },
  spec,
});

const id = (nsName: string) => `${nsName}[Pod]`;

function reach(bodies: Body[]) {
  const r = analyze(bodies, {});
  expect(r.cluster.errors.map((e) => e.message)).toEqual([]);
  return {
    tcp: (src: string, dst: string, port = 80) => r.allowed(src, dst).allows('TCP', port),
    allows: (src: string, dst: string, protocol: Protocol, port: number) => r.allowed(src, dst).allows(protocol, port),
    /** The outside peer holding an address (the outside world is partitioned, so exactly one). */
    outside: (address: string) => {
      const holders = r.peerIds().filter(
        (p) =>
          p.startsWith('ip:') &&
          p
            .slice(3)
            .split(',')
            .some((c) => addressInCidr(address, c)),
      );
      expect(holders).toHaveLength(1);
      return holders[0]!;
    },
    peerIds: () => r.peerIds(),
  };
}

/** Two namespaces with two pods each: web/client and db/server, db/other. */
const cluster = (): Body[] => [
  namespace('web', { team: 'web' }),
  namespace('db', { team: 'db' }),
  pod('web', 'client', { app: 'client' }),
  pod('db', 'server', { app: 'server' }),
  pod('db', 'other', { app: 'other' }),
];

describe('policyTypes defaulting (where the tutorial disagrees)', () => {
  test('egress rules without policyTypes isolate ingress too', () => {
    // NetworkPolicySpec.policyTypes: "If this field is not specified, it will default based on the
    // existence of ingress or egress rules; policies that contain an egress section are assumed to
    // affect egress, and all policies (whether or not they contain an ingress section) are assumed
    // to affect ingress." The tutorial says such a policy is [Egress] only.
    const r = reach([
      ...cluster(),
      policy('db', 'egress-only', {
        podSelector: { matchLabels: { app: 'server' } },
        egress: [{ to: [{ podSelector: {} }] }],
      }),
    ]);
    expect(r.tcp(id('db/server'), id('db/other'))).toBe(true);
    expect(r.tcp(id('db/server'), id('web/client'))).toBe(false);
    expect(r.tcp(id('web/client'), id('db/server'))).toBe(false); // ingress isolated, no ingress rules
    expect(r.tcp(id('db/other'), id('db/server'))).toBe(false);
  });

  test('an explicit policyTypes: [Egress] leaves ingress open', () => {
    const r = reach([
      ...cluster(),
      policy('db', 'egress-only', {
        podSelector: { matchLabels: { app: 'server' } },
        policyTypes: ['Egress'],
        egress: [],
      }),
    ]);
    expect(r.tcp(id('web/client'), id('db/server'))).toBe(true);
    expect(r.tcp(id('db/server'), id('web/client'))).toBe(false);
  });

  test('policyTypes: [] is defaulted like an absent list, not "isolate everything"', () => {
    // The API server defaults policyTypes whenever the list is empty (SetDefaults_NetworkPolicy:
    // `if len(spec.PolicyTypes) == 0`), so [] with only ingress rules means [Ingress]. The tutorial
    // says an empty list isolates the pod completely.
    const r = reach([
      ...cluster(),
      policy('db', 'empty-types', {
        podSelector: { matchLabels: { app: 'server' } },
        policyTypes: [],
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'other' } } }] }],
      }),
    ]);
    expect(r.tcp(id('db/other'), id('db/server'))).toBe(true);
    expect(r.tcp(id('web/client'), id('db/server'))).toBe(false);
    expect(r.tcp(id('db/server'), id('web/client'))).toBe(true); // egress not isolated
  });
});

describe('which pods a policy selects', () => {
  test('an omitted podSelector selects every pod of the policy namespace, and only those', () => {
    // NetworkPolicySpec.podSelector: "An empty podSelector selects all pods in this namespace." It is
    // a struct, not a pointer, so an omitted one is the empty one. The tutorial says omitting it
    // "applies based on context".
    const r = reach([...cluster(), policy('db', 'no-selector', { policyTypes: ['Ingress'] })]);
    expect(r.tcp(id('web/client'), id('db/server'))).toBe(false);
    expect(r.tcp(id('web/client'), id('db/other'))).toBe(false);
    expect(r.tcp(id('db/server'), id('web/client'))).toBe(true); // web is not selected
  });
});

describe('peers', () => {
  const inDbNamespaces = { namespaceSelector: { matchLabels: { team: 'db' } } };
  const clientPods = { podSelector: { matchLabels: { app: 'client' } } };
  const withDbClient = (): Body[] => [
    ...cluster(),
    pod('db', 'client', { app: 'client' }), // a client inside a db namespace
  ];

  test('namespaceSelector and podSelector in one peer must both match (AND)', () => {
    // NetworkPolicyPeer: "If namespaceSelector is also set, then the NetworkPolicyPeer as a whole
    // selects the pods matching podSelector in the namespaces selected by namespaceSelector."
    const r = reach([
      ...withDbClient(),
      policy('db', 'and', {
        podSelector: { matchLabels: { app: 'server' } },
        ingress: [{ from: [{ ...inDbNamespaces, ...clientPods }] }],
      }),
    ]);
    expect(r.tcp(id('db/client'), id('db/server'))).toBe(true);
    expect(r.tcp(id('web/client'), id('db/server'))).toBe(false); // client, but not in a db namespace
    expect(r.tcp(id('db/other'), id('db/server'))).toBe(false); // in db, but not a client
  });

  test('namespaceSelector and podSelector in two peers: either may match (OR)', () => {
    // NetworkPolicyIngressRule.from: "If this field is present and contains at least one item, this
    // rule allows traffic only if the traffic matches at least one item in the from list." A
    // podSelector alone selects pods in the policy's own namespace.
    const r = reach([
      ...withDbClient(),
      policy('db', 'or', {
        podSelector: { matchLabels: { app: 'server' } },
        ingress: [{ from: [inDbNamespaces, clientPods] }],
      }),
    ]);
    expect(r.tcp(id('db/client'), id('db/server'))).toBe(true);
    expect(r.tcp(id('db/other'), id('db/server'))).toBe(true); // by namespace
    expect(r.tcp(id('web/client'), id('db/server'))).toBe(false); // app=client, but podSelector alone means namespace db
  });
});

describe('ports', () => {
  test('a named port resolves per destination pod, on its own number and protocol', () => {
    // NetworkPolicyPort.port: "This can either be a numerical or named port on a pod." Each pod
    // maps the name through its own container ports, so one rule can open different numbers.
    const r = reach([
      ...cluster(),
      pod('db', 'server2', { app: 'server' }, { ports: [{ name: 'sql', containerPort: 3306 }] }),
      pod('db', 'server1', { app: 'server' }, { ports: [{ name: 'sql', containerPort: 5432 }] }),
      policy('db', 'named', {
        podSelector: { matchLabels: { app: 'server' } },
        ingress: [{ ports: [{ port: 'sql' }] }],
      }),
    ]);
    expect(r.tcp(id('web/client'), id('db/server1'), 5432)).toBe(true);
    expect(r.tcp(id('web/client'), id('db/server1'), 3306)).toBe(false);
    expect(r.tcp(id('web/client'), id('db/server2'), 3306)).toBe(true);
    expect(r.tcp(id('web/client'), id('db/server2'), 5432)).toBe(false);
    expect(r.allows(id('web/client'), id('db/server1'), 'UDP', 5432)).toBe(false); // sql is a TCP port
    expect(r.tcp(id('web/client'), id('db/server'), 5432)).toBe(false); // no port named sql at all
  });

  test('endPort opens the inclusive range port..endPort', () => {
    // NetworkPolicyPort.endPort: "indicates that the range of ports from port to endPort if set,
    // inclusive, should be allowed by the policy."
    const r = reach([
      ...cluster(),
      policy('db', 'range', {
        podSelector: { matchLabels: { app: 'server' } },
        ingress: [{ ports: [{ protocol: 'TCP', port: 32000, endPort: 32768 }] }],
      }),
    ]);
    expect([31999, 32000, 32500, 32768, 32769].map((p) => r.tcp(id('web/client'), id('db/server'), p))).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
  });
});

describe('ipBlock', () => {
  test('except carves addresses out of the cidr', () => {
    // IPBlock.except: "a slice of CIDRs that should not be included within an IPBlock."
    const r = reach([
      ...cluster(),
      policy('db', 'from-ten', {
        podSelector: { matchLabels: { app: 'server' } },
        ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }],
      }),
    ]);
    const server = id('db/server');
    expect(r.tcp(r.outside('10.0.0.1'), server)).toBe(true);
    expect(r.tcp(r.outside('10.255.255.255'), server)).toBe(true);
    expect(r.tcp(r.outside('10.1.0.0'), server)).toBe(false);
    expect(r.tcp(r.outside('10.1.255.255'), server)).toBe(false);
    expect(r.tcp(r.outside('11.0.0.0'), server)).toBe(false);
    expect(r.tcp(id('web/client'), server)).toBe(false); // pods are not ipBlock members by default
  });

  test('IPv6 ipBlocks match IPv6 addresses and no IPv4 ones', () => {
    const r = reach([
      ...cluster(),
      policy('db', 'from-v6', {
        podSelector: { matchLabels: { app: 'server' } },
        ingress: [{ from: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:ffff::/48'] } }] }],
      }),
    ]);
    const server = id('db/server');
    expect(r.tcp(r.outside('2001:db8::1'), server)).toBe(true);
    expect(r.tcp(r.outside('2001:db8:ffff::1'), server)).toBe(false);
    expect(r.tcp(r.outside('2001:db9::'), server)).toBe(false);
    expect(r.tcp(r.outside('32.1.13.184'), server)).toBe(false); // 2001:0db8 read as IPv4
  });
});

describe('hostNetwork pods', () => {
  test('are not peers: NetworkPolicy does not govern the node network', () => {
    // Concepts > Network Policies, "NetworkPolicy and hostNetwork pods": the behaviour is undefined;
    // typically the pod is indistinguishable from its node. reachlog reports them apart instead.
    const r = reach([...cluster(), pod('web', 'agent', { app: 'client' }, { hostNetwork: true, ip: '192.168.0.10' })]);
    expect(r.peerIds()).not.toContain(id('web/agent'));
    expect(r.peerIds()).toContain(id('web/client'));
  });
});
