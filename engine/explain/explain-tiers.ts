import type { AdminAction, AdminPeer, AdminPolicy, AdminRule } from '../model/cluster.js';
import type { SourceRef } from '../model/source.js';
import { tierOrder } from '../reach/admin-tiers.js';
import { nodeAddresses } from '../reach/ip-blocks.js';
import { CompiledPorts } from '../reach/ports.js';
import type { Reachability } from '../reach/reachability.js';
import type { AddressSet } from '../sets/address-set.js';
import { ConnectionSet } from '../sets/connection-set.js';

/** What explain knows of one end of a pair (a pod class or an outside group). */
export interface NodeFacts {
  namespace?: string;
  labels?: Readonly<Record<string, string>>;
  namedPorts: Parameters<CompiledPorts['resolve']>[0];
  outside?: { addresses: AddressSet };
  /** Address keys of the NetworkPolicy ipBlocks covering the class's pods (with --ipblock-matches-pods). */
  ipBlocksMatched: ReadonlySet<string>;
  /** Address keys of the admin `networks` covering the class's pods (always counted). */
  networksMatched: ReadonlySet<string>;
}

export interface AdminPolicyRef {
  kind: AdminPolicy['kind'];
  name: string;
  priority?: number;
  source: SourceRef;
}

/** One admin-tier rule that decided part of a pair: the connections it matched first. */
export interface TierDecision {
  tier: 'Admin' | 'Baseline';
  policy: AdminPolicyRef;
  rule: number;
  ruleName?: string;
  action: AdminAction;
  /** Set when a peer of an unknown kind turned the rule into deny-all (fail closed). */
  failedClosed?: boolean;
  conn: ConnectionSet;
}

export function adminRef(p: AdminPolicy): AdminPolicyRef {
  return {
    kind: p.kind,
    name: p.name,
    ...(p.kind === 'BaselineAdminNetworkPolicy' ? {} : { priority: p.priority }),
    source: p.source,
  };
}

function peerMatches(reach: Reachability, peer: AdminPeer, other: NodeFacts): boolean {
  switch (peer.kind) {
    case 'pods': {
      if (other.outside || other.namespace === undefined) return false;
      const nsLabels = reach.cluster.namespaces.get(other.namespace)?.labels ?? {};
      return peer.namespaceSelector.matches(nsLabels) && peer.podSelector.matches(other.labels ?? {});
    }
    case 'networks':
      if (other.outside) return !peer.addresses.intersect(other.outside.addresses).isEmpty();
      return other.networksMatched.has(peer.addresses.key());
    case 'nodes':
      if (!other.outside) return false;
      return !nodeAddresses(reach.cluster.nodes, peer.selector).intersect(other.outside.addresses).isEmpty();
    case 'domainNames':
    case 'unknown':
      return false;
  }
}

function ruleMatch(reach: Reachability, rule: AdminRule, other: NodeFacts, destination: NodeFacts) {
  // Fail closed (upstream peer docs): an unknown peer makes a Deny or Pass rule deny everything.
  if (rule.action !== 'Allow' && rule.peers.some((p) => p.kind === 'unknown')) {
    return { action: 'Deny' as const, conn: ConnectionSet.all, failedClosed: true };
  }
  if (!rule.peers.some((p) => peerMatches(reach, p, other))) return undefined;
  return { action: rule.action, conn: CompiledPorts.compile(rule.ports).resolve(destination.namedPorts) };
}

/** The policies of one tier that select `self` and have rules in `direction`, in evaluation order. */
export function selectingTier(
  reach: Reachability,
  tier: 'Admin' | 'Baseline',
  direction: 'ingress' | 'egress',
  self: NodeFacts,
): AdminPolicy[] {
  if (self.outside || self.namespace === undefined) return [];
  const nsLabels = reach.cluster.namespaces.get(self.namespace)?.labels ?? {};
  return reach.cluster.adminPolicies
    .filter(
      (p) =>
        p.tier === tier &&
        p[direction].length > 0 &&
        p.subject.namespaceSelector.matches(nsLabels) &&
        p.subject.podSelector.matches(self.labels ?? {}),
    )
    .sort(tierOrder);
}

/**
 * Walks one tier's rules in order over the connections still `open`: first match wins.
 * Returns the decisions, the policies reached (in order; those after everything was decided
 * are not), and what no rule matched.
 */
export function walkTier(
  reach: Reachability,
  policies: readonly AdminPolicy[],
  direction: 'ingress' | 'egress',
  other: NodeFacts,
  destination: NodeFacts,
  open: ConnectionSet,
): { decisions: TierDecision[]; reached: AdminPolicyRef[]; open: ConnectionSet } {
  const decisions: TierDecision[] = [];
  const reached: AdminPolicyRef[] = [];
  for (const policy of policies) {
    if (open.isEmpty()) break;
    reached.push(adminRef(policy));
    for (const rule of policy[direction]) {
      if (open.isEmpty()) break;
      const hit = ruleMatch(reach, rule, other, destination);
      if (!hit) continue;
      const conn = open.intersect(hit.conn);
      if (conn.isEmpty()) continue;
      open = open.subtract(conn);
      decisions.push({
        tier: policy.tier,
        policy: adminRef(policy),
        rule: rule.index,
        ...(rule.name ? { ruleName: rule.name } : {}),
        action: hit.action,
        ...('failedClosed' in hit ? { failedClosed: true } : {}),
        conn,
      });
    }
  }
  return { decisions, reached, open };
}
