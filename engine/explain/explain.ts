import type { NetworkPolicy, PolicyPeer, PolicyRule } from '../model/cluster.js';
import type { SourceRef } from '../model/source.js';
import { selectingTier, walkTier, type AdminPolicyRef, type NodeFacts, type TierDecision } from './explain-tiers.js';
import { CompiledPorts } from '../reach/ports.js';
import type { Reachability } from '../reach/reachability.js';
import { ConnectionSet, type Protocol } from '../sets/connection-set.js';

export interface PolicyRef {
  namespace: string;
  name: string;
  source: SourceRef;
}

export interface RuleMatch {
  policy: PolicyRef;
  /** Index in the policy's ingress or egress list. */
  rule: number;
  /** What this rule grants for this pair. */
  allowed: ConnectionSet;
}

/** One direction of the pair: the source's egress, or the destination's ingress. */
export interface SideExplanation {
  direction: 'egress' | 'ingress';
  /** The peer whose policies decide this direction. */
  peer: string;
  /** Outside addresses are not pods: no NetworkPolicy governs their side. */
  governed: boolean;
  /** Policies selecting the peer for this direction; empty means not isolated. */
  isolatedBy: PolicyRef[];
  matches: RuleMatch[];
  allowed: ConnectionSet;
  /** Admin-tier rules that decided part of this direction, in evaluation order (Pass included). */
  admin: TierDecision[];
  /** The Admin-tier policies selecting the peer that were consulted, in evaluation order. */
  adminReached: AdminPolicyRef[];
  /** What the Admin tier left (no match, or passed) for NetworkPolicy and beyond. */
  afterAdmin: ConnectionSet;
  /** Baseline-tier rules that decided part of it (only when NetworkPolicy does not isolate this direction). */
  baseline: TierDecision[];
  /** The Baseline-tier policies selecting the peer that were consulted, in evaluation order. */
  baselineReached: AdminPolicyRef[];
  /** What no rule of any tier decided: allowed by default (only when NetworkPolicy does not isolate it). */
  byDefault: ConnectionSet;
}

export interface PairExplanation {
  /** Present when a workload's pods differ: which variant pair this is. */
  srcVariant?: number;
  dstVariant?: number;
  egress: SideExplanation;
  ingress: SideExplanation;
  allowed: ConnectionSet;
}

export interface Explanation {
  src: string;
  dst: string;
  allowed: ConnectionSet;
  probe?: { protocol: Protocol; port: number; allowed: boolean };
  pairs: PairExplanation[];
  /**
   * A workload to itself whose pods are all one variant in one class: it has no connection to
   * itself (see WorkloadView), `allowed` is empty, and the one pair says what two of its pods
   * may open to each other if it has several.
   */
  oneVariantToItself?: boolean;
}

export class ExplainError extends Error {}

function ref(p: NetworkPolicy): PolicyRef {
  return { namespace: p.namespace, name: p.name, source: p.source };
}

function peerMatches(reach: Reachability, peer: PolicyPeer, policy: NetworkPolicy, node: NodeFacts): boolean {
  if (peer.kind === 'ipBlock') {
    if (node.outside) return !peer.addresses.intersect(node.outside.addresses).isEmpty();
    return node.ipBlocksMatched.has(peer.addresses.key());
  }
  if (node.outside || node.namespace === undefined) return false;
  const inNamespace = peer.namespaceSelector
    ? peer.namespaceSelector.matches(reach.cluster.namespaces.get(node.namespace)?.labels ?? {})
    : node.namespace === policy.namespace;
  return inNamespace && peer.podSelector.matches(node.labels ?? {});
}

function ruleMatches(reach: Reachability, rule: PolicyRule, policy: NetworkPolicy, other: NodeFacts): boolean {
  return rule.peers === 'all' || rule.peers.some((p) => peerMatches(reach, p, policy, other));
}

function nodeFacts(reach: Reachability, node: number): NodeFacts {
  const cls = reach.podClass(node);
  if (!cls) {
    const outside = reach.outsideGroup(node)!;
    return { namedPorts: [], outside, ipBlocksMatched: new Set(), networksMatched: new Set() };
  }
  const blocks = new Set<string>();
  const networks = new Set<string>();
  // The class records which blocks cover its pods' addresses, by block index: every block with
  // --ipblock-matches-pods, admin `networks` always.
  for (const b of cls.extra ? cls.extra.split(',').map(Number) : []) {
    const key = reach.ipBlocks.sets[b]!.key();
    if (reach.options.ipBlockMatchesPods) blocks.add(key);
    if (reach.ipBlocks.networkBlocks.has(b)) networks.add(key);
  }
  return {
    namespace: cls.namespace,
    labels: cls.labels,
    namedPorts: cls.namedPorts,
    ipBlocksMatched: blocks,
    networksMatched: networks,
  };
}

function side(
  reach: Reachability,
  direction: 'egress' | 'ingress',
  peer: string,
  self: NodeFacts,
  other: NodeFacts,
  destination: NodeFacts,
): SideExplanation {
  if (self.outside) {
    return {
      direction,
      peer,
      governed: false,
      isolatedBy: [],
      matches: [],
      allowed: ConnectionSet.all,
      admin: [],
      adminReached: [],
      afterAdmin: ConnectionSet.all,
      baseline: [],
      baselineReached: [],
      byDefault: ConnectionSet.none,
    };
  }
  const tierDirection = direction === 'egress' ? 'egress' : 'ingress';
  // Admin tier first: first match wins; Allow and Deny are final, Pass and no match go on.
  const admin = walkTier(
    reach,
    selectingTier(reach, 'Admin', tierDirection, self),
    tierDirection,
    other,
    destination,
    ConnectionSet.all,
  );
  const adminAllowed = admin.decisions
    .filter((d) => d.action === 'Allow')
    .reduce((acc, d) => acc.union(d.conn), ConnectionSet.none);
  const afterAdmin = admin.decisions
    .filter((d) => d.action === 'Pass')
    .reduce((acc, d) => acc.union(d.conn), admin.open);
  const selecting = reach.cluster.policies.filter(
    (p) =>
      p.namespace === self.namespace &&
      (direction === 'egress' ? p.affectsEgress : p.affectsIngress) &&
      p.podSelector.matches(self.labels ?? {}),
  );
  const matches: RuleMatch[] = [];
  for (const policy of selecting) {
    for (const rule of direction === 'egress' ? policy.egress : policy.ingress) {
      if (!ruleMatches(reach, rule, policy, other)) continue;
      // Named ports resolve against the destination pod in both directions.
      const allowed = CompiledPorts.compile(rule.ports).resolve(destination.namedPorts);
      matches.push({ policy: ref(policy), rule: rule.index, allowed });
    }
  }
  const base = {
    direction,
    peer,
    governed: true,
    isolatedBy: selecting.map(ref),
    matches,
    admin: admin.decisions,
    adminReached: admin.reached,
    afterAdmin,
  };
  if (selecting.length > 0) {
    const np = matches.reduce((acc, m) => acc.union(m.allowed), ConnectionSet.none);
    return {
      ...base,
      allowed: adminAllowed.union(afterAdmin.intersect(np)),
      baseline: [],
      baselineReached: [],
      byDefault: ConnectionSet.none,
    };
  }
  // Not isolated by NetworkPolicy: the Baseline tier decides, and what it leaves is allowed.
  const baseline = walkTier(
    reach,
    selectingTier(reach, 'Baseline', tierDirection, self),
    tierDirection,
    other,
    destination,
    afterAdmin,
  );
  const baselineAllowed = baseline.decisions
    .filter((d) => d.action !== 'Deny')
    .reduce((acc, d) => acc.union(d.conn), ConnectionSet.none);
  return {
    ...base,
    allowed: adminAllowed.union(baselineAllowed).union(baseline.open),
    baseline: baseline.decisions,
    baselineReached: baseline.reached,
    byDefault: baseline.open,
  };
}

/** Why `src` can or cannot reach `dst`: the policies and rules on each side, from the cluster itself. */
export function explain(
  reach: Reachability,
  src: string,
  dst: string,
  probe?: { protocol: Protocol; port: number },
): Explanation {
  const srcNodes = reach.nodesOf(src);
  const dstNodes = reach.nodesOf(dst);
  const unknown = [!srcNodes && src, !dstNodes && dst].filter(Boolean);
  if (!srcNodes || !dstNodes) {
    const hint = unknown.map((id) =>
      reach.workload(id as string)?.hostNetwork ? `${id} uses hostNetwork` : `unknown peer ${id}`,
    );
    throw new ExplainError(`${hint.join('; ')} (peers look like ns/name[Kind] or ip:CIDR)`);
  }
  const pairs: PairExplanation[] = [];
  const variants = srcNodes.length > 1 || dstNodes.length > 1;
  // A workload to itself: between pods that differ (another class, or another variant in one
  // class), as its connection to itself is defined (see WorkloadView).
  const toItself = src === dst;
  const multiVariant = toItself ? reach.view.multiVariantNodesOf(src) : [];
  const oneVariantToItself = toItself && srcNodes.length === 1 && multiVariant.length === 0;
  srcNodes.forEach((s, i) =>
    dstNodes.forEach((d, j) => {
      if (toItself && s === d && !oneVariantToItself && !multiVariant.includes(s)) return;
      const from = nodeFacts(reach, s);
      const to = nodeFacts(reach, d);
      const egress = side(reach, 'egress', src, from, to, to);
      const ingress = side(reach, 'ingress', dst, to, from, to);
      const both = from.outside && to.outside ? ConnectionSet.none : egress.allowed.intersect(ingress.allowed);
      pairs.push({ ...(variants ? { srcVariant: i, dstVariant: j } : {}), egress, ingress, allowed: both });
    }),
  );
  const allowed = oneVariantToItself
    ? ConnectionSet.none
    : pairs.reduce((acc, p) => acc.union(p.allowed), ConnectionSet.none);
  const result: Explanation = { src, dst, allowed, pairs, ...(oneVariantToItself ? { oneVariantToItself } : {}) };
  if (probe) result.probe = { ...probe, allowed: allowed.allows(probe.protocol, probe.port) };
  return result;
}
