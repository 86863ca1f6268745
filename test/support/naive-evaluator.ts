import ipaddr from 'ipaddr.js';
import { subjectSelects, tierOf, tierVerdict, type NaiveAdminContext } from './naive-admin-tiers.js';

/**
 * A deliberately naive NetworkPolicy evaluator (networking.k8s.io/v1), written straight from the
 * Kubernetes API reference and used as the oracle the engine is checked against. It answers one
 * question for one pair of endpoints on one port, re-reading the raw objects every time: slow,
 * but with no classes, partitions or caches that could share a bug with the engine.
 *
 * It assumes valid input (what the API server would accept); validation is the engine's job.
 */

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
type Direction = 'Ingress' | 'Egress';
type Labels = Record<string, string>;

/** A pod by `namespace/name`, or an address outside the cluster. */
export type Endpoint = { pod: string } | { ip: string };

interface RawSelector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

interface RawPeer {
  podSelector?: RawSelector;
  namespaceSelector?: RawSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface RawPort {
  protocol?: Protocol;
  port?: number | string;
  endPort?: number;
}

interface RawRule {
  from?: RawPeer[];
  to?: RawPeer[];
  ports?: RawPort[];
}

interface RawPolicy {
  namespace: string;
  spec: {
    podSelector?: RawSelector;
    policyTypes?: Direction[];
    ingress?: RawRule[];
    egress?: RawRule[];
  };
}

interface RawContainerPort {
  name?: string;
  containerPort: number;
  protocol?: Protocol;
}

interface NaivePod {
  namespace: string;
  labels: Labels;
  ips: string[];
  containerPorts: RawContainerPort[];
  hostNetwork: boolean;
}

export interface NaiveModel {
  namespaceLabels: Map<string, Labels>;
  pods: Map<string, NaivePod>;
  policies: RawPolicy[];
  /** AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy objects, raw. */
  adminPolicies: Body[];
  nodes: Body[];
  /** Whether an ipBlock also matches pods by their IPs (Kubernetes leaves this to the plugin). */
  ipBlockMatchesPods: boolean;
}

/** The label the API server puts on every namespace (Kubernetes ≥ 1.21). */
const NAME_LABEL = 'kubernetes.io/metadata.name';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Namespaced objects without metadata.namespace are in `default`. */
const namespaceOf = (body: Body): string => body.metadata?.namespace || 'default';

/** Indexes Namespaces, Pods, NetworkPolicies, the admin tiers and Nodes; every other kind is ignored. */
export function buildNaiveModel(
  bodies: readonly unknown[],
  options: { ipBlockMatchesPods?: boolean } = {},
): NaiveModel {
  const model: NaiveModel = {
    namespaceLabels: new Map(),
    pods: new Map(),
    policies: [],
    adminPolicies: [],
    nodes: [],
    ipBlockMatchesPods: options.ipBlockMatchesPods ?? false,
  };
  for (const body of bodies as Body[]) {
    if (body.kind === 'Namespace') {
      const name = body.metadata.name as string;
      model.namespaceLabels.set(name, { ...body.metadata.labels, [NAME_LABEL]: name });
    } else if (body.kind === 'Pod') {
      const status = body.status ?? {};
      const ips: string[] = status.podIPs?.length
        ? status.podIPs.map((p: { ip: string }) => p.ip)
        : status.podIP
          ? [status.podIP]
          : [];
      model.pods.set(`${namespaceOf(body)}/${body.metadata.name}`, {
        namespace: namespaceOf(body),
        labels: body.metadata.labels ?? {},
        ips,
        containerPorts: (body.spec?.containers ?? []).flatMap((c: Body) => c.ports ?? []),
        hostNetwork: body.spec?.hostNetwork === true,
      });
    } else if (body.kind === 'NetworkPolicy') {
      model.policies.push({ namespace: namespaceOf(body), spec: body.spec ?? {} });
    } else if (['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy'].includes(body.kind)) {
      model.adminPolicies.push(body);
    } else if (body.kind === 'Node') model.nodes.push(body);
  }
  return model;
}

function namespaceLabels(model: NaiveModel, namespace: string): Labels {
  return model.namespaceLabels.get(namespace) ?? { [NAME_LABEL]: namespace };
}

function podOf(model: NaiveModel, id: string): NaivePod {
  const pod = model.pods.get(id);
  if (!pod) throw new Error(`naive evaluator: no pod ${id}`);
  return pod;
}

/** One matchExpressions entry; NotIn and DoesNotExist also hold when the key is absent. */
function expressionHolds(operator: string, values: string[], value: string | undefined): boolean {
  switch (operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default:
      throw new Error(`naive evaluator: unknown operator ${operator}`);
  }
}

/** metav1.LabelSelector: matchLabels and matchExpressions all hold; an empty selector matches everything. */
function selectorMatches(selector: RawSelector | undefined, labels: Labels): boolean {
  const valueOf = (key: string) => (Object.hasOwn(labels, key) ? labels[key] : undefined);
  return (
    Object.entries(selector?.matchLabels ?? {}).every(([key, value]) => valueOf(key) === value) &&
    (selector?.matchExpressions ?? []).every((e) => expressionHolds(e.operator, e.values ?? [], valueOf(e.key)))
  );
}

/** The evaluator asks the same few (address, CIDR) questions millions of times: parse each once. */
const insideCidr = new Map<string, boolean>();

export function addressInCidr(address: string, cidr: string): boolean {
  const key = `${address} ${cidr}`;
  let inside = insideCidr.get(key);
  if (inside === undefined) {
    const addr = ipaddr.parse(address);
    const range = ipaddr.parseCIDR(cidr);
    insideCidr.set(key, (inside = addr.kind() === range[0].kind() && addr.match(range)));
  }
  return inside;
}

/**
 * The engine's `ip:` peer (`ip:<cidr>,<cidr>…`) holding the address, for comparing an answer
 * about an address with the engine's; exactly one must hold it (the outside world is partitioned).
 */
export function outsidePeerOf(peerIds: readonly string[], address: string): string {
  const holders = peerIds.filter(
    (id) =>
      id.startsWith('ip:') &&
      id
        .slice(3)
        .split(',')
        .some((c) => addressInCidr(address, c)),
  );
  if (holders.length !== 1) throw new Error(`${address} is in ${holders.length} outside peers: ${holders.join(' ')}`);
  return holders[0]!;
}

/** ipBlock: inside cidr and outside every except. */
function ipBlockMatches(block: NonNullable<RawPeer['ipBlock']>, address: string): boolean {
  return addressInCidr(address, block.cidr) && !(block.except ?? []).some((e) => addressInCidr(address, e));
}

/**
 * One peer of a rule against the other end of the connection. A podSelector alone means the
 * policy's namespace; a namespaceSelector alone means every pod of the matching namespaces; both
 * in one peer must both hold. An ipBlock matches outside addresses (and pod IPs only if asked).
 */
function peerMatches(model: NaiveModel, peer: RawPeer, policyNamespace: string, other: Endpoint): boolean {
  if (peer.ipBlock) {
    const addresses = 'ip' in other ? [other.ip] : model.ipBlockMatchesPods ? podOf(model, other.pod).ips : [];
    return addresses.some((a) => ipBlockMatches(peer.ipBlock!, a));
  }
  if ('ip' in other) return false;
  const pod = podOf(model, other.pod);
  const namespaceOk = peer.namespaceSelector
    ? selectorMatches(peer.namespaceSelector, namespaceLabels(model, pod.namespace))
    : pod.namespace === policyNamespace;
  return namespaceOk && selectorMatches(peer.podSelector, pod.labels);
}

/**
 * NetworkPolicyPort: protocol defaults to TCP; no port means every port of the protocol; port
 * with endPort is a range; a named port is looked up in the destination pod's container ports,
 * where name and protocol must both match (an outside destination has no named ports).
 */
function portMatches(model: NaiveModel, entry: RawPort, dst: Endpoint, protocol: Protocol, port: number): boolean {
  if ((entry.protocol ?? 'TCP') !== protocol) return false;
  if (entry.port === undefined) return true;
  if (typeof entry.port === 'number') {
    return entry.endPort === undefined ? port === entry.port : entry.port <= port && port <= entry.endPort;
  }
  if ('ip' in dst) return false;
  return podOf(model, dst.pod).containerPorts.some(
    (cp) => cp.name === entry.port && (cp.protocol ?? 'TCP') === protocol && cp.containerPort === port,
  );
}

/** A rule allows when some peer matches and some port matches; an absent or empty list matches all. */
function ruleAllows(
  model: NaiveModel,
  rule: RawRule,
  peers: RawPeer[] | undefined,
  policyNamespace: string,
  other: Endpoint,
  dst: Endpoint,
  protocol: Protocol,
  port: number,
): boolean {
  const peerOk = !peers?.length || peers.some((p) => peerMatches(model, p, policyNamespace, other));
  const ports = rule.ports ?? [];
  const portOk = ports.length === 0 || ports.some((p) => portMatches(model, p, dst, protocol, port));
  return peerOk && portOk;
}

/**
 * policyTypes as the API server defaults it: an absent or empty list becomes Ingress, plus Egress
 * when the policy has egress rules. So egress rules alone still isolate ingress.
 */
function policyTypes(policy: RawPolicy): Direction[] {
  const given = policy.spec.policyTypes ?? [];
  if (given.length > 0) return given;
  return policy.spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
}

/**
 * One end's side of the connection: a pod is isolated for a direction when some policy of that
 * direction selects it (an absent podSelector selects the whole namespace), and then only the
 * union of those policies' rules lets traffic through. Outside addresses are never isolated.
 */
function networkPolicyAllows(
  model: NaiveModel,
  direction: Direction,
  subject: Endpoint,
  other: Endpoint,
  dst: Endpoint,
  protocol: Protocol,
  port: number,
): boolean | undefined {
  if ('ip' in subject) return undefined;
  const pod = podOf(model, subject.pod);
  const selecting = model.policies.filter(
    (p) =>
      p.namespace === pod.namespace &&
      selectorMatches(p.spec.podSelector, pod.labels) &&
      policyTypes(p).includes(direction),
  );
  if (selecting.length === 0) return undefined;
  return selecting.some((policy) => {
    const rules = (direction === 'Ingress' ? policy.spec.ingress : policy.spec.egress) ?? [];
    return rules.some((rule) => {
      const peers = direction === 'Ingress' ? rule.from : rule.to;
      return ruleAllows(model, rule, peers, policy.namespace, other, dst, protocol, port);
    });
  });
}

/**
 * One end's side through the tiers: the Admin tier decides first (Pass goes on); NetworkPolicy
 * decides where it isolates the pod; otherwise the Baseline tier; otherwise allowed.
 */
function sideAllows(
  model: NaiveModel,
  direction: Direction,
  subject: Endpoint,
  other: Endpoint,
  dst: Endpoint,
  protocol: Protocol,
  port: number,
): boolean {
  if ('ip' in subject) return true;
  const pod = podOf(model, subject.pod);
  const otherPod = 'pod' in other ? podOf(model, other.pod) : undefined;
  const ctx: NaiveAdminContext = {
    namespaceLabels: (ns) => namespaceLabels(model, ns),
    selectorMatches,
    addressInCidr,
    other: 'ip' in other ? { ip: other.ip } : { pod: otherPod! },
    destinationPorts: 'ip' in dst ? [] : podOf(model, dst.pod).containerPorts,
    nodes: model.nodes,
    protocol,
    port,
  };
  const gress = direction === 'Ingress' ? 'ingress' : 'egress';
  const selecting = model.adminPolicies.filter((p) => subjectSelects(ctx, p, pod));
  const admin = tierVerdict(
    ctx,
    selecting.filter((p) => tierOf(p) === 'Admin'),
    gress,
  );
  if (admin === 'allow' || admin === 'deny') return admin === 'allow';
  const np = networkPolicyAllows(model, direction, subject, other, dst, protocol, port);
  if (np !== undefined) return np;
  return (
    tierVerdict(
      ctx,
      selecting.filter((p) => tierOf(p) === 'Baseline'),
      gress,
    ) !== 'deny'
  );
}

/** src may send to dst on protocol/port iff src's egress side and dst's ingress side both allow it. */
export function naiveAllows(
  model: NaiveModel,
  src: Endpoint,
  dst: Endpoint,
  protocol: Protocol,
  port: number,
): boolean {
  return (
    sideAllows(model, 'Egress', src, dst, dst, protocol, port) &&
    sideAllows(model, 'Ingress', dst, src, dst, protocol, port)
  );
}
