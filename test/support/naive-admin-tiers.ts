/**
 * The admin tiers, naively: for one pair, one port, one direction, walk the raw objects in the
 * order upstream defines (kubernetes-sigs/network-policy-api apis/v1alpha1 and v1alpha2): the
 * Admin tier by priority then rule order, first match wins (Allow/Accept and Deny final, Pass
 * skips the rest of the tier); NetworkPolicy where it isolates the pod; else the Baseline tier;
 * else allowed. Independent of the engine: no classes, no connection sets.
 *
 * Equal priorities are implementation-defined upstream; like the engine, this takes
 * AdminNetworkPolicy before ClusterNetworkPolicy, then by name.
 */

type Labels = Record<string, string>;
type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type Verdict = 'allow' | 'deny' | 'pass' | 'none';

export interface NaiveAdminContext {
  namespaceLabels(namespace: string): Labels;
  selectorMatches(selector: Body | undefined, labels: Labels): boolean;
  addressInCidr(address: string, cidr: string): boolean;
  /** The other end: a pod (namespace, labels, IPs) or an outside address. */
  other: { pod?: { namespace: string; labels: Labels; ips: string[] }; ip?: string };
  /** The destination's container ports (none for an outside address). */
  destinationPorts: { name?: string; containerPort: number; protocol?: string }[];
  nodes: Body[];
  protocol: string;
  port: number;
}

const KIND_ORDER: Record<string, number> = {
  AdminNetworkPolicy: 0,
  ClusterNetworkPolicy: 1,
  BaselineAdminNetworkPolicy: 2,
};

export function tierOf(body: Body): 'Admin' | 'Baseline' {
  if (body.kind === 'AdminNetworkPolicy') return 'Admin';
  if (body.kind === 'BaselineAdminNetworkPolicy') return 'Baseline';
  return body.spec.tier;
}

function priorityOf(body: Body): number {
  return body.kind === 'BaselineAdminNetworkPolicy' ? 1001 : body.spec.priority;
}

export function inOrder(policies: Body[]): Body[] {
  return [...policies].sort(
    (a, b) =>
      priorityOf(a) - priorityOf(b) ||
      KIND_ORDER[a.kind]! - KIND_ORDER[b.kind]! ||
      (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0),
  );
}

export function subjectSelects(
  ctx: NaiveAdminContext,
  body: Body,
  pod: { namespace: string; labels: Labels },
): boolean {
  const subject = body.spec.subject;
  if (subject.namespaces) return ctx.selectorMatches(subject.namespaces, ctx.namespaceLabels(pod.namespace));
  return (
    ctx.selectorMatches(subject.pods.namespaceSelector ?? {}, ctx.namespaceLabels(pod.namespace)) &&
    ctx.selectorMatches(subject.pods.podSelector, pod.labels)
  );
}

function peerMatches(ctx: NaiveAdminContext, peer: Body): boolean {
  const { pod, ip } = ctx.other;
  if (peer.namespaces) return !!pod && ctx.selectorMatches(peer.namespaces, ctx.namespaceLabels(pod.namespace));
  if (peer.pods) {
    return (
      !!pod &&
      ctx.selectorMatches(peer.pods.namespaceSelector ?? {}, ctx.namespaceLabels(pod.namespace)) &&
      ctx.selectorMatches(peer.pods.podSelector, pod.labels)
    );
  }
  // networks match pods by their IPs too ("cluster-internal traffic will be checked against the rule").
  const addresses = ip ? [ip] : (pod?.ips ?? []);
  if (peer.networks) return addresses.some((a) => peer.networks.some((c: string) => ctx.addressInCidr(a, c)));
  if (peer.nodes) {
    if (!ip) return false;
    return ctx.nodes.some(
      (n) =>
        ctx.selectorMatches(peer.nodes, n.metadata.labels ?? {}) &&
        (n.status?.addresses ?? []).some(
          (a: Body) => (a.type === 'InternalIP' || a.type === 'ExternalIP') && a.address === ip,
        ),
    );
  }
  return false; // domainNames: unknown here; reachlog leaves them out of what they match
}

function isUnknownPeer(peer: Body): boolean {
  return !['namespaces', 'pods', 'networks', 'nodes', 'domainNames'].some((k) => peer[k] != null);
}

function namedPortMatches(ctx: NaiveAdminContext, name: string): boolean {
  return ctx.destinationPorts.some(
    (p) => p.name === name && (p.protocol ?? 'TCP') === ctx.protocol && p.containerPort === ctx.port,
  );
}

/** v1alpha1 `ports` or v1alpha2 `protocols`; absent: every port of every protocol. */
function portMatches(ctx: NaiveAdminContext, rule: Body): boolean {
  if (rule.ports) {
    return rule.ports.some((p: Body) => {
      if (p.namedPort) return namedPortMatches(ctx, p.namedPort);
      if (p.portNumber) return (p.portNumber.protocol ?? 'TCP') === ctx.protocol && p.portNumber.port === ctx.port;
      return (
        (p.portRange.protocol ?? 'TCP') === ctx.protocol && p.portRange.start <= ctx.port && ctx.port <= p.portRange.end
      );
    });
  }
  if (rule.protocols) {
    return rule.protocols.some((p: Body) => {
      if (p.destinationNamedPort) return namedPortMatches(ctx, p.destinationNamedPort);
      const proto = p.tcp ? 'TCP' : p.udp ? 'UDP' : 'SCTP';
      const dest = (p.tcp ?? p.udp ?? p.sctp).destinationPort;
      if (proto !== ctx.protocol) return false;
      return dest.number !== undefined
        ? dest.number === ctx.port
        : dest.range.start <= ctx.port && ctx.port <= dest.range.end;
    });
  }
  return true;
}

/** One tier's verdict: the first matching rule's action, or none. */
export function tierVerdict(ctx: NaiveAdminContext, policies: Body[], direction: 'ingress' | 'egress'): Verdict {
  for (const policy of inOrder(policies)) {
    for (const rule of policy.spec[direction] ?? []) {
      const peers: Body[] = direction === 'ingress' ? rule.from : rule.to;
      const allow = rule.action === 'Allow' || rule.action === 'Accept';
      // Fail closed: an unknown peer makes Deny/Pass deny everything, and matches nothing in an Allow.
      if (!allow && peers.some(isUnknownPeer)) return 'deny';
      if (!peers.some((p) => !isUnknownPeer(p) && peerMatches(ctx, p)) || !portMatches(ctx, rule)) continue;
      return allow ? 'allow' : rule.action === 'Deny' ? 'deny' : 'pass';
    }
  }
  return 'none';
}
