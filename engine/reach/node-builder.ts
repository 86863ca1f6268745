import type { NetworkPolicy, PolicyRule } from '../model/cluster.js';
import type { EgressEntry, IngressEntry, MatrixNode } from './node-rules.js';
import type { OutsidePartition } from './outside-addresses.js';
import type { PeerResolver } from './peer-resolver.js';
import type { PeerSet } from './peer-set.js';
import type { PodClass } from './pod-classes.js';
import { CompiledPorts } from './ports.js';
import { SelectionSignatures } from './selection-signatures.js';

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

/** The input, and each rule compiled once while building. */
interface BuildState extends NodeBuildInput {
  compiledRules: Map<PolicyRule, CompiledRule>;
}

/** A rule's peers and ports, compiled once however many classes its policy selects. */
interface CompiledRule {
  peers: PeerSet[];
  ports: CompiledPorts;
}

function compiledRule(rule: PolicyRule, policy: NetworkPolicy, input: BuildState): CompiledRule {
  let compiled = input.compiledRules.get(rule);
  if (!compiled) {
    const peers =
      rule.peers === 'all'
        ? [input.resolver.everything]
        : rule.peers.map((peer) =>
            peer.kind === 'ipBlock'
              ? input.blockPeers[input.blockIndex(peer)]!
              : input.resolver.podPeer(peer, policy.namespace),
          );
    compiled = { peers, ports: CompiledPorts.compile(rule.ports) };
    input.compiledRules.set(rule, compiled);
  }
  return compiled;
}

/**
 * One peer of a set of ingress policies: the union of its rules' ports, kept unresolved, and
 * where its first rule stands among all rules (the order its entry is listed in).
 */
interface IngressPeer {
  peer: PeerSet;
  ports: CompiledPorts;
  /** Each rule naming the peer, in order, with its position among every rule. */
  rules: { ports: CompiledPorts; position: number }[];
}

/** The ingress rules of the policies selecting a class, merged per peer; shared by every class they select. */
function ingressPeers(policies: CompiledPolicy[], input: BuildState): IngressPeer[] {
  const byPeer = new Map<PeerSet, IngressPeer>();
  let position = 0;
  for (const { policy } of policies) {
    for (const rule of policy.ingress) {
      const { peers, ports } = compiledRule(rule, policy, input);
      for (const peer of peers) {
        const had = byPeer.get(peer);
        if (had) {
          had.ports = had.ports.union(ports);
          had.rules.push({ ports, position });
        } else byPeer.set(peer, { peer, ports, rules: [{ ports, position }] });
      }
      position++;
    }
  }
  return [...byPeer.values()];
}

/**
 * A class's ingress entries: each peer's ports resolved against the class's own named ports
 * (ingress named ports resolve against the selected, destination pod). A peer is listed where
 * its first rule allowing this class anything stands; peers allowing it nothing are left out.
 */
function ingressEntries(cls: PodClass, peers: readonly IngressPeer[]): IngressEntry[] {
  const entries: (IngressEntry & { position: number })[] = [];
  let reordered = false;
  for (const { peer, ports, rules } of peers) {
    const conn = ports.resolve(cls.namedPorts);
    if (conn.isEmpty()) continue;
    let position = rules[0]!.position;
    if (rules[0]!.ports.fixed.isEmpty()) {
      position = rules.find((r) => !r.ports.resolve(cls.namedPorts).isEmpty())!.position;
      reordered ||= position !== rules[0]!.position;
    }
    entries.push({ peer, conn, position });
  }
  if (reordered) entries.sort((a, b) => a.position - b.position);
  return entries.map(({ peer, conn }) => ({ peer, conn }));
}

function egressEntries(policies: CompiledPolicy[], input: BuildState): EgressEntry[] {
  const byPeer = new Map<PeerSet, CompiledPorts>();
  for (const { policy } of policies) {
    for (const rule of policy.egress) {
      const { peers, ports } = compiledRule(rule, policy, input);
      for (const peer of peers) {
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
export function buildNodes(buildInput: NodeBuildInput): MatrixNode[] {
  const input: BuildState = { ...buildInput, compiledRules: new Map() };
  const { classes, partition, cache } = input;
  const peersOfIngress = new Map<string, IngressPeer[]>();
  const groups = selectorGroups(input);
  const ingressSignatures = new SelectionSignatures<SelectorGroup>(classes.length, groups.length);
  const egressSignatures = new SelectionSignatures<SelectorGroup>(classes.length, groups.length);
  groups.forEach(({ group, classes: selected }, position) => {
    if (group.ingress.length > 0) ingressSignatures.add(position, group, selected);
    if (group.egress.length > 0) egressSignatures.add(position, group, selected);
  });
  // The rule cache outlives this computation: it is keyed by group ids, which are stable, not by signatures.
  const keyOf = (signatures: SelectionSignatures<SelectorGroup>) => {
    const keys: string[] = [];
    return (signature: number) => (keys[signature] ??= signatures.selections[signature]!.map((g) => g.id).join(','));
  };
  const ingressKey = keyOf(ingressSignatures);
  const egressKey = keyOf(egressSignatures);
  /** Per ingress signature, the entries of its classes without named ports (most): one lookup, not one per class. */
  const ingressWithoutNamedPorts: (IngressEntry[] | undefined)[] = [];
  const egressOf: (EgressEntry[] | undefined)[] = [];

  const ingressOf = (cls: PodClass, signature: number): IngressEntry[] => {
    const groupsKey = ingressKey(signature);
    const portsKey = cls.namedPorts.map((p) => `${p.name}/${p.protocol}/${p.port}`).join(',');
    const key = `${groupsKey}#${portsKey}`;
    let ingress = cache.ingressProfiles.get(key);
    if (!ingress) {
      let peers = peersOfIngress.get(groupsKey);
      if (!peers)
        peersOfIngress.set(
          groupsKey,
          (peers = ingressPeers(
            ingressSignatures.selections[signature]!.flatMap((g) => g.ingress),
            input,
          )),
        );
      cache.ingressProfiles.set(key, (ingress = ingressEntries(cls, peers)));
    }
    return ingress;
  };

  const egressFor = (signature: number): EgressEntry[] => {
    const key = egressKey(signature);
    let egress = cache.egressProfiles.get(key);
    if (!egress) {
      egress = egressEntries(
        egressSignatures.selections[signature]!.flatMap((g) => g.egress),
        input,
      );
      cache.egressProfiles.set(key, egress);
    }
    return egress;
  };

  const nodes: MatrixNode[] = classes.map((cls, i) => {
    let ingress: IngressEntry[] | null = null;
    const inSignature = ingressSignatures.ofClass[i]!;
    if (inSignature !== 0) {
      ingress =
        cls.namedPorts.length > 0
          ? ingressOf(cls, inSignature)
          : (ingressWithoutNamedPorts[inSignature] ??= ingressOf(cls, inSignature));
    }
    let egress: EgressEntry[] | null = null;
    const outSignature = egressSignatures.ofClass[i]!;
    if (outSignature !== 0) egress = egressOf[outSignature] ??= egressFor(outSignature);
    return { index: i, outside: false, namedPorts: cls.namedPorts, ingress, egress };
  });
  partition.groups.forEach((_, g) =>
    nodes.push({ index: classes.length + g, outside: true, namedPorts: [], ingress: null, egress: null }),
  );
  return nodes;
}
