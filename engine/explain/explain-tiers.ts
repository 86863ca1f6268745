import type { AdminAction, AdminPolicy, AdminRule } from '../model/cluster.js';
import type { SourceRef } from '../model/source.js';
import { tierOrder } from '../reach/admin-tiers.js';
import { CompiledPorts } from '../reach/ports.js';
import type { Reachability } from '../reach/reachability.js';
import { ConnectionSet } from '../sets/connection-set.js';
import type { NodeFacts } from './node-facts.js';
import { adminPeerMiss, ruleMiss } from './peer-mismatch.js';

export interface AdminPolicyRef {
  kind: AdminPolicy['kind'];
  name: string;
  priority?: number;
  source: SourceRef;
}

/** One admin-tier rule of a policy explain reached that decided nothing for the pair, and why. */
export interface TierMiss {
  tier: 'Admin' | 'Baseline';
  policy: AdminPolicyRef;
  rule: number;
  ruleName?: string;
  action: AdminAction;
  /** Why no peer matched; or, for a rule that matched, that its connections were decided before it or do not exist. */
  why: string;
  /** True when the rule's peers match but it decides nothing (decided earlier, or no such port). */
  matched: boolean;
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

type RuleOutcome =
  { matched: true; action: AdminAction; conn: ConnectionSet; failedClosed?: true } | { matched: false; why: string };

function ruleOutcome(
  reach: Reachability,
  rule: AdminRule,
  direction: 'ingress' | 'egress',
  other: NodeFacts,
  otherLabel: string,
  destination: NodeFacts,
): RuleOutcome {
  // Fail closed (upstream peer docs): an unknown peer makes a Deny or Pass rule deny everything.
  if (rule.action !== 'Allow' && rule.peers.some((p) => p.kind === 'unknown')) {
    return { matched: true, action: 'Deny', conn: ConnectionSet.all, failedClosed: true };
  }
  const field = direction === 'ingress' ? 'from' : 'to';
  const why = ruleMiss(rule.peers, field, (i) => adminPeerMiss(reach, rule.peers[i]!, other, otherLabel));
  if (why !== undefined) return { matched: false, why };
  return {
    matched: true,
    action: rule.action,
    conn: CompiledPorts.compile(rule.ports).resolve(destination.namedPorts),
  };
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
  otherLabel: string,
  destination: NodeFacts,
  open: ConnectionSet,
): { decisions: TierDecision[]; misses: TierMiss[]; reached: AdminPolicyRef[]; open: ConnectionSet } {
  const decisions: TierDecision[] = [];
  const misses: TierMiss[] = [];
  const reached: AdminPolicyRef[] = [];
  for (const policy of policies) {
    if (open.isEmpty()) break;
    reached.push(adminRef(policy));
    for (const rule of policy[direction]) {
      if (open.isEmpty()) break;
      const hit = ruleOutcome(reach, rule, direction, other, otherLabel, destination);
      const miss = (why: string, matched: boolean) =>
        misses.push({
          tier: policy.tier,
          policy: adminRef(policy),
          rule: rule.index,
          ...(rule.name ? { ruleName: rule.name } : {}),
          action: rule.action,
          why,
          matched,
        });
      if (!hit.matched) {
        miss(hit.why, false);
        continue;
      }
      const conn = open.intersect(hit.conn);
      if (conn.isEmpty()) {
        miss(
          hit.conn.isEmpty()
            ? 'its peers match, but none of its ports exist on the destination'
            : `its peers match, but what it covers (${hit.conn}) was decided before it`,
          true,
        );
        continue;
      }
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
  return { decisions, misses, reached, open };
}
