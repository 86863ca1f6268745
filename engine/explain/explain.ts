import type { NetworkPolicy } from '../model/cluster.js';
import type { SourceRef } from '../model/source.js';
import { peerLabel, type ExplainPeer } from './explain-peer.js';
import { selectingTier, walkTier, type AdminPolicyRef, type TierDecision, type TierMiss } from './explain-tiers.js';
import type { NodeFacts } from './node-facts.js';
import { policyPeerMiss, ruleMiss } from './peer-mismatch.js';
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

/**
 * A rule of a policy isolating the peer that matches nothing of the pair, and why (each peer's
 * reason); `why` is absent for a policy with no rules in this direction (it only isolates).
 */
export interface RuleMiss {
  policy: PolicyRef;
  /** Index in the policy's ingress or egress list; absent for a policy with no rules in this direction. */
  rule?: number;
  why?: string;
}

/** One direction of the pair: the source's egress, or the destination's ingress. */
export interface SideExplanation {
  direction: 'egress' | 'ingress';
  /** The peer whose policies decide this direction (its label: a workload id, or addresses as people read them). */
  peer: string;
  /** The other end, as the reasons name it. */
  other: string;
  /** Outside addresses are not pods: no NetworkPolicy governs their side. */
  governed: boolean;
  /** Policies selecting the peer for this direction; empty means not isolated. */
  isolatedBy: PolicyRef[];
  matches: RuleMatch[];
  /** The rules of those policies that do not match the other end, in policy and rule order. */
  misses: RuleMiss[];
  allowed: ConnectionSet;
  /** Admin-tier and Baseline-tier rules of the policies reached that decided nothing, and why. */
  tierMisses: TierMiss[];
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
  /** Peer ids: a workload id or an outside group id. */
  src: string;
  dst: string;
  /** What the text calls each end: the id, or for addresses asked about, those addresses (`8.8.8.8`). */
  srcLabel: string;
  dstLabel: string;
  /** For addresses: the wider addresses that get this same explanation (their outside groups), when wider than asked. */
  srcAlike?: string;
  dstAlike?: string;
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

/** `addresses`: the part of the node's outside group the user asked about (the group treats all of it alike). */
function nodeFacts(reach: Reachability, node: number, addresses?: ExplainPeer['addresses']): NodeFacts {
  const cls = reach.podClass(node);
  if (!cls) {
    const outside = { addresses: addresses ?? reach.outsideGroup(node)!.addresses };
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
  otherLabel: string,
  other: NodeFacts,
  destination: NodeFacts,
): SideExplanation {
  if (self.outside) {
    return {
      direction,
      peer,
      other: otherLabel,
      governed: false,
      isolatedBy: [],
      matches: [],
      misses: [],
      allowed: ConnectionSet.all,
      tierMisses: [],
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
    otherLabel,
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
  const misses: RuleMiss[] = [];
  const field = direction === 'egress' ? 'to' : 'from';
  for (const policy of selecting) {
    const rules = direction === 'egress' ? policy.egress : policy.ingress;
    if (rules.length === 0) misses.push({ policy: ref(policy) });
    for (const rule of rules) {
      const peers = rule.peers;
      const why =
        peers === 'all'
          ? undefined
          : ruleMiss(peers, field, (i) => policyPeerMiss(reach, peers[i]!, policy, other, otherLabel));
      if (why !== undefined) {
        misses.push({ policy: ref(policy), rule: rule.index, why });
        continue;
      }
      // Named ports resolve against the destination pod in both directions.
      const allowed = CompiledPorts.compile(rule.ports).resolve(destination.namedPorts);
      matches.push({ policy: ref(policy), rule: rule.index, allowed });
    }
  }
  const base = {
    direction,
    peer,
    other: otherLabel,
    governed: true,
    isolatedBy: selecting.map(ref),
    matches,
    misses,
    admin: admin.decisions,
    adminReached: admin.reached,
    afterAdmin,
  };
  if (selecting.length > 0) {
    const np = matches.reduce((acc, m) => acc.union(m.allowed), ConnectionSet.none);
    return {
      ...base,
      allowed: adminAllowed.union(afterAdmin.intersect(np)),
      tierMisses: admin.misses,
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
    otherLabel,
    destination,
    afterAdmin,
  );
  const baselineAllowed = baseline.decisions
    .filter((d) => d.action !== 'Deny')
    .reduce((acc, d) => acc.union(d.conn), ConnectionSet.none);
  return {
    ...base,
    allowed: adminAllowed.union(baselineAllowed).union(baseline.open),
    tierMisses: [...admin.misses, ...baseline.misses],
    baseline: baseline.decisions,
    baselineReached: baseline.reached,
    byDefault: baseline.open,
  };
}

const asPeer = (peer: string | ExplainPeer): ExplainPeer =>
  typeof peer === 'string' ? { id: peer, label: peerLabel(peer) } : peer;

/**
 * Why `src` can or cannot reach `dst`: the policies and rules on each side, from the cluster
 * itself. A peer is an id, or an ExplainPeer (resolveExplainPeer) for addresses inside one
 * outside group.
 */
export function explain(
  reach: Reachability,
  srcPeer: string | ExplainPeer,
  dstPeer: string | ExplainPeer,
  probe?: { protocol: Protocol; port: number },
): Explanation {
  const source = asPeer(srcPeer);
  const destination = asPeer(dstPeer);
  const [src, dst] = [source.id, destination.id];
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
      const from = nodeFacts(reach, s, source.addresses);
      const to = nodeFacts(reach, d, destination.addresses);
      const egress = side(reach, 'egress', source.label, from, destination.label, to, to);
      const ingress = side(reach, 'ingress', destination.label, to, source.label, from, to);
      const both = from.outside && to.outside ? ConnectionSet.none : egress.allowed.intersect(ingress.allowed);
      pairs.push({ ...(variants ? { srcVariant: i, dstVariant: j } : {}), egress, ingress, allowed: both });
    }),
  );
  const allowed = oneVariantToItself
    ? ConnectionSet.none
    : pairs.reduce((acc, p) => acc.union(p.allowed), ConnectionSet.none);
  const result: Explanation = {
    src,
    dst,
    srcLabel: source.label,
    dstLabel: destination.label,
    allowed,
    pairs,
    ...(oneVariantToItself ? { oneVariantToItself } : {}),
  };
  if (probe) result.probe = { ...probe, allowed: allowed.allows(probe.protocol, probe.port) };
  return result;
}
