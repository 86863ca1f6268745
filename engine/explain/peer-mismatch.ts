import type { AdminPeer, NetworkPolicy, PolicyPeer } from '../model/cluster.js';
import { nodeAddresses } from '../reach/ip-blocks.js';
import type { Reachability } from '../reach/reachability.js';
import type { LabelSelector, Labels } from '../select/label-selector.js';
import type { AddressSet } from '../sets/address-set.js';
import { describeAddresses } from '../sets/describe-addresses.js';
import type { NodeFacts } from './node-facts.js';

/**
 * Why one peer of a rule does not match the other end of a pair, in words a person can check
 * against the YAML (`ipBlock 10.0.0.0/8 does not contain 8.8.8.8`); undefined when it matches.
 * explain decides matches with these same functions, so the reason and the verdict cannot drift.
 */

/** The labels a selector looks at, as the object has them: `app=api`, `no label tier`. */
function shownLabels(selector: LabelSelector, labels: Labels): string {
  const keys = [...new Set(selector.keys())];
  return keys.map((k) => (labels[k] === undefined ? `no label ${k}` : `${k}=${labels[k]}`)).join(', ');
}

function selectorMiss(
  what: 'namespaceSelector' | 'podSelector',
  selector: LabelSelector,
  labels: Labels,
  subject: string,
): string | undefined {
  if (selector.matches(labels)) return undefined;
  return `${what} ${selector} does not match ${subject} (${shownLabels(selector, labels)})`;
}

function namespaceLabels(reach: Reachability, namespace: string): Labels {
  return reach.cluster.namespaces.get(namespace)?.labels ?? {};
}

/** `10.0.0.0/8`, or `0.0.0.0/0 except 10.0.0.0/8, 192.168.0.0/16` as the policy writes it. */
function ipBlockText(peer: Extract<PolicyPeer, { kind: 'ipBlock' }>): string {
  return peer.except.length === 0
    ? peer.cidr.text
    : `${peer.cidr.text} except ${peer.except.map((e) => e.text).join(', ')}`;
}

function addressesMiss(named: string, block: AddressSet, outside: AddressSet, label: string): string | undefined {
  return block.intersect(outside).isEmpty() ? `${named} does not contain ${label}` : undefined;
}

/** A NetworkPolicy peer (`from`/`to` entry) against the other end. */
export function policyPeerMiss(
  reach: Reachability,
  peer: PolicyPeer,
  policy: NetworkPolicy,
  other: NodeFacts,
  label: string,
): string | undefined {
  if (peer.kind === 'ipBlock') {
    const named = `ipBlock ${ipBlockText(peer)}`;
    if (other.outside) return addressesMiss(named, peer.addresses, other.outside.addresses, label);
    if (other.ipBlocksMatched.has(peer.addresses.key())) return undefined;
    return reach.options.ipBlockMatchesPods
      ? `${named} does not contain the addresses of ${label}'s pods`
      : `${named} is not matched against pod addresses (whether ipBlocks match pods depends on the CNI; --ipblock-matches-pods counts them)`;
  }
  const selects = !peer.namespaceSelector
    ? `podSelector ${peer.podSelector}`
    : peer.podSelector.isEmpty()
      ? `namespaceSelector ${peer.namespaceSelector}`
      : `namespaceSelector ${peer.namespaceSelector} with podSelector ${peer.podSelector}`;
  if (other.outside || other.namespace === undefined) return `${selects} selects pods, not outside addresses`;
  if (!peer.namespaceSelector && other.namespace !== policy.namespace) {
    return `podSelector ${peer.podSelector} (no namespaceSelector) selects pods of namespace ${policy.namespace} only, not ${other.namespace}`;
  }
  const namespaceMiss = peer.namespaceSelector
    ? selectorMiss(
        'namespaceSelector',
        peer.namespaceSelector,
        namespaceLabels(reach, other.namespace),
        `namespace ${other.namespace}`,
      )
    : undefined;
  return namespaceMiss ?? selectorMiss('podSelector', peer.podSelector, other.labels ?? {}, label);
}

/** An admin-tier peer (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy) against the other end. */
export function adminPeerMiss(
  reach: Reachability,
  peer: AdminPeer,
  other: NodeFacts,
  label: string,
): string | undefined {
  switch (peer.kind) {
    case 'pods': {
      const selects = peer.podSelector.isEmpty()
        ? `namespaces ${peer.namespaceSelector}`
        : `pods (namespaceSelector ${peer.namespaceSelector}, podSelector ${peer.podSelector})`;
      if (other.outside || other.namespace === undefined) return `${selects} selects pods, not outside addresses`;
      return (
        selectorMiss(
          'namespaceSelector',
          peer.namespaceSelector,
          namespaceLabels(reach, other.namespace),
          `namespace ${other.namespace}`,
        ) ?? selectorMiss('podSelector', peer.podSelector, other.labels ?? {}, label)
      );
    }
    case 'networks': {
      const named = `networks ${peer.cidrs.map((c) => c.text).join(', ')}`;
      if (other.outside) return addressesMiss(named, peer.addresses, other.outside.addresses, label);
      return other.networksMatched.has(peer.addresses.key())
        ? undefined
        : `${named} does not contain the addresses of ${label}'s pods`;
    }
    case 'nodes': {
      if (!other.outside) return `nodes ${peer.selector} selects Node addresses, not pods`;
      const addresses = nodeAddresses(reach.cluster.nodes, peer.selector);
      if (addresses.isEmpty()) return `nodes ${peer.selector} selects no Node in the input`;
      return addressesMiss(
        `nodes ${peer.selector} (addresses ${describeAddresses(addresses)})`,
        addresses,
        other.outside.addresses,
        label,
      );
    }
    case 'domainNames':
      return `domainNames ${peer.names.join(', ')} cannot be decided from objects: reachlog counts them as matching nothing`;
    case 'unknown':
      return `a peer of a kind reachlog does not know (${peer.fields.join(', ')}) matches nothing`;
  }
}

/**
 * Why none of a rule's peers match: each peer's reason, prefixed with its place (`from[1]`) when
 * the rule has several. Undefined when some peer matches.
 */
export function ruleMiss(
  peers: readonly unknown[],
  field: 'from' | 'to',
  missOf: (i: number) => string | undefined,
): string | undefined {
  const reasons: string[] = [];
  for (let i = 0; i < peers.length; i++) {
    const why = missOf(i);
    if (why === undefined) return undefined;
    reasons.push(peers.length > 1 ? `${field}[${i}] ${why}` : why);
  }
  return reasons.join('; ');
}
