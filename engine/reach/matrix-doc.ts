import type { AdminAction, NamedPort } from '../model/cluster.js';
import type { Labels } from '../select/label-selector.js';
import { parseCidr } from '../sets/address-set.js';
import { ConnectionSet, type Protocol } from '../sets/connection-set.js';
import { IntervalSet } from '../sets/interval-set.js';
import { ClassMatrix } from './class-matrix.js';
import type { EgressEntry, IngressEntry, MatrixNode, NodeTiers, TierEntry } from './node-rules.js';
import { PeerSet } from './peer-set.js';
import { CompiledPorts } from './ports.js';
import type { Reachability } from './reachability.js';
import { WorkloadView } from './workload-view.js';

type Ranges = { protocol: Protocol; ports: [number, number][] }[];

/**
 * The engine's result in a storable, compressed form: pod classes and outside groups with
 * their merged rules over named peer sets, and each workload's classes. Never workloads²:
 * a pair is evaluated when read. Keys are stable across snapshots, so unchanged parts of two
 * documents compare equal.
 */
export interface MatrixDoc {
  nodes: NodeDoc[];
  peers: PeerDoc[];
  /**
   * Workload id → keys of its nodes, and of those holding several of its variants when there
   * are any (its pods there may connect to each other; absent in documents of older versions).
   */
  workloads: WorkloadDoc[];
}

export type WorkloadDoc = [id: string, nodes: string[], multiVariant?: string[]];

export interface NodeDoc {
  /** `namespace|labels|named ports|extra` for a class, the `ip:` id for an outside group. */
  key: string;
  outside?: boolean;
  namespace?: string;
  labels?: Labels;
  namedPorts?: NamedPort[];
  ingress: [string, Ranges][] | null;
  egress: [string, PortsDoc][] | null;
  /** The admin tiers' rules in evaluation order; absent when no admin policy selects the class. */
  tiers?: Partial<Record<keyof NodeTiers, [string, AdminAction, PortsDoc][]>>;
}

type PortsDoc = { fixed: Ranges; named: { name: string; protocol: Protocol }[] };

const TIER_LISTS = ['adminIngress', 'adminEgress', 'baselineIngress', 'baselineEgress'] as const;

export interface PeerDoc {
  key: string;
  /** Node keys; the everything-peer `*` lists none. */
  members: string[];
}

export function classKey(namespace: string, labels: Labels, namedPorts: readonly NamedPort[], extra: string): string {
  const sortedLabels = Object.keys(labels)
    .sort()
    .map((k) => [k, labels[k]]);
  const ports = namedPorts.map((p) => `${p.name}/${p.protocol}/${p.port}`).sort();
  return `${namespace}|${JSON.stringify(sortedLabels)}|${ports.join(',')}|${extra}`;
}

function portsDoc(ports: CompiledPorts): PortsDoc {
  return { fixed: ports.fixed.toRanges(), named: [...ports.named] };
}

export function toMatrixDoc(reach: Reachability): MatrixDoc {
  const { matrix } = reach;
  const keys = matrix.nodes.map((n) => {
    const cls = reach.podClass(n.index);
    return cls ? classKey(cls.namespace, cls.labels, cls.namedPorts, cls.extra) : reach.outsideGroup(n.index)!.id;
  });
  const peers = new Map<string, PeerDoc>();
  const usePeer = (p: PeerSet) => {
    if (!peers.has(p.key))
      peers.set(p.key, { key: p.key, members: p.isAll ? [] : [...p.members].map((m) => keys[m]!) });
    return p.key;
  };
  const nodes: NodeDoc[] = matrix.nodes.map((n) => {
    const cls = reach.podClass(n.index);
    const doc: NodeDoc = {
      key: keys[n.index]!,
      ingress: n.ingress && n.ingress.map((e) => [usePeer(e.peer), e.conn.toRanges()]),
      egress: n.egress && n.egress.map((e) => [usePeer(e.peer), portsDoc(e.ports)]),
    };
    if (n.tiers) {
      const tiers: NonNullable<NodeDoc['tiers']> = {};
      for (const list of TIER_LISTS) {
        const entries = n.tiers[list];
        if (entries) tiers[list] = entries.map((e) => [usePeer(e.peer), e.action, portsDoc(e.ports)]);
      }
      doc.tiers = tiers;
    }
    if (cls) Object.assign(doc, { namespace: cls.namespace, labels: cls.labels, namedPorts: [...cls.namedPorts] });
    else doc.outside = true;
    return doc;
  });
  const workloads: WorkloadDoc[] = [];
  for (const id of reach.peerIds()) {
    if (!reach.workload(id)) continue;
    const multiVariant = reach.view.multiVariantNodesOf(id).map((n) => keys[n]!);
    const nodeKeys = reach.nodesOf(id)!.map((n) => keys[n]!);
    workloads.push(multiVariant.length > 0 ? [id, nodeKeys, multiVariant] : [id, nodeKeys]);
  }
  return { nodes, peers: [...peers.values()], workloads };
}

function connFrom(ranges: Ranges): ConnectionSet {
  return ConnectionSet.fromRanges(Object.fromEntries(ranges.map((r) => [r.protocol, r.ports])));
}

/** A stored result, served like a fresh one: the same matrix and view, rebuilt from the document. */
export interface StoredReachability {
  view: WorkloadView;
  /** Outside groups, with their addresses, for summaries. */
  outside: { id: string; addresses: IntervalSet<bigint> }[];
  doc: MatrixDoc;
}

export function fromMatrixDoc(doc: MatrixDoc): StoredReachability {
  // Classes first, outside groups after: the matrix numbers them that way.
  const ordered = [...doc.nodes.filter((n) => !n.outside), ...doc.nodes.filter((n) => n.outside)];
  const index = new Map(ordered.map((n, i) => [n.key, i]));
  const peers = new Map<string, PeerSet>();
  doc.peers.forEach((p, id) => {
    const set =
      p.key === PeerSet.ALL_KEY
        ? PeerSet.all(id, ordered.length)
        : PeerSet.of(id, p.key, Int32Array.from(p.members.map((m) => index.get(m)!)).sort(), ordered.length);
    peers.set(p.key, set);
  });
  const tiersOf = (doc: NodeDoc['tiers']): NodeTiers | undefined => {
    if (!doc) return undefined;
    const list = (k: (typeof TIER_LISTS)[number]) =>
      doc[k]?.map(([peer, action, ports]): TierEntry => ({
        peer: peers.get(peer)!,
        action,
        ports: CompiledPorts.of(connFrom(ports.fixed), ports.named),
      })) ?? null;
    return {
      adminIngress: list('adminIngress'),
      adminEgress: list('adminEgress'),
      baselineIngress: list('baselineIngress'),
      baselineEgress: list('baselineEgress'),
    };
  };
  const nodes: MatrixNode[] = ordered.map((n, i) => ({
    ...(n.tiers ? { tiers: tiersOf(n.tiers) } : {}),
    index: i,
    outside: n.outside === true,
    namedPorts: n.namedPorts ?? [],
    ingress:
      n.ingress &&
      n.ingress.map(([peer, ranges]): IngressEntry => ({ peer: peers.get(peer)!, conn: connFrom(ranges) })),
    egress:
      n.egress &&
      n.egress.map(([peer, ports]): EgressEntry => ({
        peer: peers.get(peer)!,
        ports: CompiledPorts.of(connFrom(ports.fixed), ports.named),
      })),
  }));
  const classCount = ordered.findIndex((n) => n.outside);
  const matrix = new ClassMatrix(nodes, classCount === -1 ? ordered.length : classCount);
  const outside = ordered
    .filter((n) => n.outside)
    .map((n) => ({
      id: n.key,
      addresses: n.key
        .slice('ip:'.length)
        .split(',')
        .reduce((set, cidr) => set.union(parseCidr(cidr).range), IntervalSet.empty<bigint>()),
    }));
  const view = new WorkloadView(matrix, [
    ...doc.workloads.map(([id, keys, multiVariant = []]) => {
      const nodes = (list: string[]) => list.map((k) => index.get(k)!).sort((a, b) => a - b);
      return [id, nodes(keys), nodes(multiVariant)] as const;
    }),
    ...outside.map((o) => [o.id, [index.get(o.id)!]] as const),
  ]);
  return { view, outside, doc };
}
