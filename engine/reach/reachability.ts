import { buildCluster } from '../manifests/build-cluster.js';
import type { Cluster, Workload } from '../model/cluster.js';
import { parseAddress } from '../sets/address-set.js';
import { ConnectionSet } from '../sets/connection-set.js';
import { compileTiers, type TierInput } from './admin-tiers.js';
import { adminTierWarnings } from './admin-warnings.js';
import { ClassMatrix } from './class-matrix.js';
import { collectIpBlocks, type IpBlocks } from './ip-blocks.js';
import { buildNodes, RuleCache } from './node-builder.js';
import { partitionOutside, type OutsideGroup, type OutsidePartition } from './outside-addresses.js';
import { PeerResolver } from './peer-resolver.js';
import { buildPodClasses, relevantPodLabelKeys, type PodClass, type PodClasses } from './pod-classes.js';
import { policyContentKey } from './policy-key.js';
import { summarize } from './summary.js';
import type { AnalyzeOptions, Connection, Summary } from './types.js';
import { unevaluatedPolicyKinds, type Warning } from './warnings.js';
import { WorkloadView } from './workload-view.js';

export type { AnalyzeOptions, Connection, Summary } from './types.js';

/** The pod side of a computation, reused by the next one when pods and namespaces are unchanged. */
interface PodSide {
  classes: PodClasses;
  /** What the classes were built from: the same workloads array and keys give the same classes. */
  workloads: Cluster['workloads'];
  relevantKeys: string[];
  /** Whether classes were told apart by the blocks covering pod IPs. */
  byAddress: boolean;
  namespacesKey: string;
  resolver: PeerResolver;
  cache: RuleCache;
}

function namespacesKey(cluster: Cluster): string {
  return [...cluster.namespaces.values()].map((n) => `${n.name}:${JSON.stringify(n.labels)}`).join('\n');
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

export class Reachability {
  private warningList?: Warning[];
  readonly matrix: ClassMatrix;
  readonly partition: OutsidePartition;
  readonly view: WorkloadView;
  /** Distinct ipBlocks of all policies; pod classes name them by index. */
  readonly ipBlocks: IpBlocks;
  private readonly podSide: PodSide;
  private readonly tierInput: TierInput;
  private readonly workloads = new Map<string, Workload>();

  constructor(
    readonly cluster: Cluster,
    readonly options: AnalyzeOptions = {},
    previous?: Reachability,
  ) {
    const blocks = collectIpBlocks(cluster);
    this.ipBlocks = blocks;
    this.partition = partitionOutside(blocks.sets);
    const podIps = (ips: readonly string[]) => ips.map(parseAddress).filter((a): a is bigint => a !== undefined);
    // Pods are told apart by the blocks covering their IPs when those blocks match pods: every
    // block with --ipblock-matches-pods, admin `networks` always.
    const byAddress = options.ipBlockMatchesPods === true || blocks.networkBlocks.size > 0;
    const matchesPods = (b: number) => options.ipBlockMatchesPods === true || blocks.networkBlocks.has(b);
    // Pods of one stretch of addresses share their blocks (blocksContaining answers one array
    // per stretch): the key is built once per stretch, not once per pod.
    const keyOfBlocks = new Map<readonly number[], string>();
    const blocksKey = (blocks: readonly number[]) =>
      [...new Set(blocks)]
        .filter(matchesPods)
        .sort((a, b) => a - b)
        .join(',');
    const extraKey = byAddress
      ? (pod: { ips: readonly string[] }) => {
          const containing = podIps(pod.ips)
            .map((a) => this.partition.blocksContaining(a))
            .filter((b) => b.length > 0);
          if (containing.length === 0) return '';
          if (containing.some((b) => b !== containing[0])) return blocksKey(containing.flat());
          let key = keyOfBlocks.get(containing[0]!);
          if (key === undefined) keyOfBlocks.set(containing[0]!, (key = blocksKey(containing[0]!)));
          return key;
        }
      : undefined;
    const relevantKeys = relevantPodLabelKeys(cluster);
    const prev = previous?.podSide;
    // A policy edit applied to the same workloads: the classes cannot have changed.
    // (With ipBlocks matching pods the classes also depend on the ipBlocks: they must be the same too.)
    const sameWorkloads =
      prev?.workloads === cluster.workloads &&
      sameKeys(prev.relevantKeys, relevantKeys) &&
      previous!.options.ipBlockMatchesPods === options.ipBlockMatchesPods &&
      ((!byAddress && !prev.byAddress) || prev.cache.partitionKey === blocks.key);
    const classes = sameWorkloads ? prev.classes : buildPodClasses(cluster, relevantKeys, extraKey);
    this.podSide = this.podSideFor(classes, relevantKeys, blocks, byAddress, previous);

    const { resolver } = this.podSide;
    const classList = this.podSide.classes.classes;
    const classesInBlock: number[][] = blocks.sets.map(() => []);
    for (const c of classList)
      if (c.extra) for (const b of c.extra.split(',')) classesInBlock[Number(b)]!.push(c.index);
    // NetworkPolicy ipBlocks hold pods only with --ipblock-matches-pods.
    const blockPeers = resolver.blockPeers(
      this.partition,
      blocks.sets,
      options.ipBlockMatchesPods ? classesInBlock : [],
    );
    const cache = this.podSide.cache;
    const nodes = buildNodes({
      classes: classList,
      partition: this.partition,
      policies: cluster.policies.map((policy) => ({ id: cache.policyId(policyContentKey(policy)), policy })),
      resolver,
      blockPeers,
      blockIndex: blocks.indexOf,
      cache,
    });
    this.tierInput = { cluster, resolver, partition: this.partition, blocks, classesInBlock };
    const tiers = compileTiers(this.tierInput, classList.length);
    tiers.forEach((t, i) => {
      if (t) nodes[i]!.tiers = t;
    });
    this.matrix = new ClassMatrix(nodes, classList.length);
    const { classesOfWorkload, multiVariantClasses } = this.podSide.classes;
    const peers: (readonly [string, readonly number[], (readonly number[])?])[] = [];
    for (const [id, nodes] of classesOfWorkload) peers.push([id, nodes, multiVariantClasses.get(id)]);
    this.partition.groups.forEach((g, i) => peers.push([g.id, [classList.length + i]]));
    this.view = new WorkloadView(this.matrix, peers);
    for (const w of cluster.workloads) this.workloads.set(w.id, w);
  }

  /** Things the user should know that are not errors; computed on first use (it reads every pod IP). */
  get warnings(): readonly Warning[] {
    this.warningList ??= [
      ...unevaluatedPolicyKinds(this.cluster),
      ...this.ipBlocksCoveringPods(this.ipBlocks),
      ...adminTierWarnings(this.tierInput),
    ];
    return this.warningList;
  }

  private podSideFor(
    classes: PodClasses,
    relevantKeys: string[],
    blocks: IpBlocks,
    byAddress: boolean,
    previous?: Reachability,
  ): PodSide {
    const nsKey = namespacesKey(this.cluster);
    const prev = previous?.podSide;
    if (
      prev &&
      prev.cache.partitionKey === blocks.key &&
      prev.namespacesKey === nsKey &&
      previous.options.ipBlockMatchesPods === this.options.ipBlockMatchesPods &&
      (prev.classes === classes || sameKeys(prev.classes.podKeys(), classes.podKeys()))
    ) {
      return prev;
    }
    const nodeCount = classes.classes.length + this.partition.groups.length;
    return {
      classes,
      workloads: this.cluster.workloads,
      relevantKeys,
      byAddress,
      namespacesKey: nsKey,
      resolver: new PeerResolver(classes.classes, [...this.cluster.namespaces.values()], nodeCount),
      cache: new RuleCache(blocks.key),
    };
  }

  /** Kubernetes leaves open whether ipBlocks match pod addresses; say so where it matters. */
  private ipBlocksCoveringPods(blocks: IpBlocks): Warning[] {
    const warnings: Warning[] = [];
    if (blocks.uses.length === 0) return warnings;
    const covered = new Map<number, { pods: number; example: string }>();
    for (const w of this.cluster.workloads) {
      for (const pod of w.pods) {
        for (const ip of pod.ips) {
          const address = parseAddress(ip);
          if (address === undefined) continue;
          for (const b of this.partition.blocksContaining(address)) {
            const seen = covered.get(b);
            if (seen) seen.pods++;
            else covered.set(b, { pods: 1, example: `${pod.namespace}/${pod.name} (${ip})` });
          }
        }
      }
    }
    const treatment = this.options.ipBlockMatchesPods
      ? 'they are treated as matching (--ipblock-matches-pods)'
      : 'they are treated as not matching; --ipblock-matches-pods to change';
    const summary = `ipBlocks cover pod addresses; whether ipBlocks match pods depends on the CNI, ${treatment}`;
    for (const use of blocks.uses) {
      const hit = covered.get(use.block);
      if (!hit) continue;
      warnings.push({
        code: 'ipblock-covers-pods',
        summary,
        message: `NetworkPolicy ${use.policy.namespace}/${use.policy.name} ${use.field} covers the addresses of ${hit.pods} pod(s), e.g. ${hit.example}; whether ipBlocks match pods depends on the CNI, ${treatment}`,
      });
    }
    return warnings;
  }

  /** True when both computations share pod classes (so a diff can visit only what changed). */
  sharesClassesWith(other: Reachability): boolean {
    return this.podSide === other.podSide;
  }

  get classCount(): number {
    return this.podSide.classes.classes.length;
  }

  /** The pod class behind a matrix node; undefined for outside-address nodes. */
  podClass(node: number): PodClass | undefined {
    return this.podSide.classes.classes[node];
  }

  /** The outside-address group behind a matrix node; undefined for pod classes. */
  outsideGroup(node: number): OutsideGroup | undefined {
    return this.partition.groups[node - this.classCount];
  }

  nodesOf(peerId: string): readonly number[] | undefined {
    return this.view.nodesOf(peerId);
  }

  peerIds(): string[] {
    return this.view.peerIds;
  }

  connections(): Iterable<Connection> {
    return this.view.connections();
  }

  /** Connections from or to one peer (`--focus`). */
  connectionsInvolving(peer: string): Connection[] {
    return this.view.connectionsInvolving(peer);
  }

  allowed(src: string, dst: string): ConnectionSet {
    return this.view.allowed(src, dst);
  }

  workload(id: string): Workload | undefined {
    return this.workloads.get(id);
  }

  summary(): Summary {
    return summarize(
      this.view,
      this.partition.groups,
      this.cluster.workloads,
      this.cluster.policies.length,
      this.cluster.adminPolicies.length,
    );
  }
}

export function computeReachability(
  cluster: Cluster,
  options: AnalyzeOptions = {},
  previous?: Reachability,
): Reachability {
  return new Reachability(cluster, options, previous);
}

/** Raw objects (as from YAML or the API) straight to reachability; invalid objects are left out. */
export function analyze(bodies: Record<string, unknown>[], options: AnalyzeOptions = {}): Reachability {
  const objects = bodies.map((body, i) => ({ source: { file: '<input>', doc: i + 1 }, body }));
  return computeReachability(buildCluster(objects), options);
}
