import type { NetworkPolicy, PolicyRule } from '../model/cluster.js';
import { ConnectionSet } from '../sets/connection-set.js';
import type { EgressEntry, IngressEntry, MatrixNode } from './node-rules.js';
import type { OutsidePartition } from './outside-addresses.js';
import type { PeerResolver } from './peer-resolver.js';
import type { PeerSet } from './peer-set.js';
import type { PodClass } from './pod-classes.js';
import { CompiledPorts } from './ports.js';

/**
 * Caches shared between recomputations over the same pod classes: a policy edit rebuilds
 * only the rule lists of the classes whose set of selecting policies changed.
 */
export class RuleCache {
  readonly ingressProfiles = new Map<string, IngressEntry[]>();
  readonly egressProfiles = new Map<string, EgressEntry[]>();
  private readonly policyIds = new Map<string, number>();
  constructor(readonly partitionKey: string) {}

  policyId(contentKey: string): number {
    let id = this.policyIds.get(contentKey);
    if (id === undefined) this.policyIds.set(contentKey, (id = this.policyIds.size));
    return id;
  }
}

interface CompiledPolicy {
  id: number;
  policy: NetworkPolicy;
}

export interface NodeBuildInput {
  classes: readonly PodClass[];
  partition: OutsidePartition;
  policies: readonly CompiledPolicy[];
  resolver: PeerResolver;
  blockPeers: readonly PeerSet[];
  blockIndex: (p: Extract<NonNullable<Exclude<PolicyRule['peers'], 'all'>>[number], { kind: 'ipBlock' }>) => number;
  cache: RuleCache;
}

function rulePeers(rule: PolicyRule, policy: NetworkPolicy, input: NodeBuildInput): PeerSet[] {
  if (rule.peers === 'all') return [input.resolver.everything];
  return rule.peers.map((peer) =>
    peer.kind === 'ipBlock'
      ? input.blockPeers[input.blockIndex(peer)]!
      : input.resolver.podPeer(peer, policy.namespace),
  );
}

function ingressEntries(cls: PodClass, policies: CompiledPolicy[], input: NodeBuildInput): IngressEntry[] {
  const byPeer = new Map<PeerSet, ConnectionSet>();
  for (const { policy } of policies) {
    for (const rule of policy.ingress) {
      // Ingress named ports resolve against the selected (destination) pod itself.
      const conn = CompiledPorts.compile(rule.ports).resolve(cls.namedPorts);
      if (conn.isEmpty()) continue;
      for (const peer of rulePeers(rule, policy, input))
        byPeer.set(peer, (byPeer.get(peer) ?? ConnectionSet.none).union(conn));
    }
  }
  return [...byPeer].map(([peer, conn]) => ({ peer, conn }));
}

function egressEntries(policies: CompiledPolicy[], input: NodeBuildInput): EgressEntry[] {
  const byPeer = new Map<PeerSet, CompiledPorts>();
  for (const { policy } of policies) {
    for (const rule of policy.egress) {
      const ports = CompiledPorts.compile(rule.ports);
      for (const peer of rulePeers(rule, policy, input)) {
        const had = byPeer.get(peer);
        byPeer.set(peer, had ? had.union(ports) : ports);
      }
    }
  }
  return [...byPeer].map(([peer, ports]) => ({ peer, ports }));
}

/**
 * Policies with the same namespace and podSelector select the same classes: grouped, they are
 * matched once, and a class lists a few groups rather than thousands of policies.
 */
interface SelectorGroup {
  /** Stable across computations: the member policies' content ids. */
  id: number;
  ingress: CompiledPolicy[];
  egress: CompiledPolicy[];
}

function selectorGroups(input: NodeBuildInput): { group: SelectorGroup; classes: number[] }[] {
  const byKey = new Map<string, { policies: CompiledPolicy[]; classes: number[] }>();
  for (const compiled of input.policies) {
    const { policy } = compiled;
    if (!policy.affectsIngress && !policy.affectsEgress) continue;
    const key = `${policy.namespace}\u0000${policy.podSelector.key}`;
    let entry = byKey.get(key);
    if (!entry) {
      entry = { policies: [], classes: input.resolver.selectInNamespace(policy.namespace, policy.podSelector) };
      byKey.set(key, entry);
    }
    entry.policies.push(compiled);
  }
  return [...byKey.values()].map(({ policies, classes }) => ({
    classes,
    group: {
      id: input.cache.policyId(`group:${policies.map((p) => p.id).join(',')}`),
      ingress: policies.filter((p) => p.policy.affectsIngress),
      egress: policies.filter((p) => p.policy.affectsEgress),
    },
  }));
}

/** Per class, the merged rules of every policy selecting it; per outside group, no rules. */
export function buildNodes(input: NodeBuildInput): MatrixNode[] {
  const { classes, partition, cache } = input;
  const groupsOf: SelectorGroup[][] = classes.map(() => []);
  for (const { group, classes: selected } of selectorGroups(input)) for (const c of selected) groupsOf[c]!.push(group);
  const nodes: MatrixNode[] = classes.map((cls, i) => {
    const groups = groupsOf[i]!;
    let ingress: IngressEntry[] | null = null;
    const ins = groups.filter((g) => g.ingress.length > 0);
    if (ins.length > 0) {
      const portsKey = cls.namedPorts.map((p) => `${p.name}/${p.protocol}/${p.port}`).join(',');
      const key = `${ins.map((g) => g.id).join(',')}#${portsKey}`;
      ingress = cache.ingressProfiles.get(key) ?? null;
      if (!ingress)
        cache.ingressProfiles.set(
          key,
          (ingress = ingressEntries(
            cls,
            ins.flatMap((g) => g.ingress),
            input,
          )),
        );
    }
    let egress: EgressEntry[] | null = null;
    const outs = groups.filter((g) => g.egress.length > 0);
    if (outs.length > 0) {
      const key = outs.map((g) => g.id).join(',');
      egress = cache.egressProfiles.get(key) ?? null;
      if (!egress)
        cache.egressProfiles.set(
          key,
          (egress = egressEntries(
            outs.flatMap((g) => g.egress),
            input,
          )),
        );
    }
    return { index: i, outside: false, namedPorts: cls.namedPorts, ingress, egress };
  });
  partition.groups.forEach((_, g) =>
    nodes.push({ index: classes.length + g, outside: true, namedPorts: [], ingress: null, egress: null }),
  );
  return nodes;
}
