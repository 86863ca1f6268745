import type { Cluster, Workload } from '../model/cluster.js';
import { ConnectionSet } from '../sets/connection-set.js';
import type { ClassMatrix } from './class-matrix.js';
import type { OutsidePartition } from './outside-addresses.js';
import type { PodClasses } from './pod-classes.js';
import type { Connection, Summary } from './reachability.js';
import { ALL_V4 } from '../sets/address-set.js';

/** Peers that share the same matrix nodes see and are seen alike: computed once per group. */
interface PeerGroup {
  nodes: number[];
  peerIds: string[];
}

export interface Row {
  dst: string;
  allowed: ConnectionSet;
}

function byId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The class matrix seen by workload and outside-address peers. A workload whose pods differ
 * spans several classes: it may open a port to another workload when some pod of it may open
 * it to some pod of the other.
 */
export class WorkloadView {
  readonly peerIds: string[];
  private readonly groups: PeerGroup[] = [];
  private readonly groupOfPeer = new Map<string, number>();
  private readonly groupsOfNode: number[][];
  private readonly workloads = new Map<string, Workload>();

  constructor(
    private readonly cluster: Cluster,
    classes: PodClasses,
    private readonly partition: OutsidePartition,
    private readonly matrix: ClassMatrix,
  ) {
    this.groupsOfNode = matrix.nodes.map(() => []);
    const byNodes = new Map<string, number>();
    const addPeer = (id: string, nodes: number[]) => {
      const key = nodes.join(',');
      let g = byNodes.get(key);
      if (g === undefined) {
        byNodes.set(key, (g = this.groups.length));
        this.groups.push({ nodes, peerIds: [] });
        for (const n of nodes) this.groupsOfNode[n]!.push(g);
      }
      this.groups[g]!.peerIds.push(id);
      this.groupOfPeer.set(id, g);
    };
    for (const w of cluster.workloads) {
      this.workloads.set(w.id, w);
      const nodes = classes.classesOfWorkload.get(w.id);
      if (nodes) addPeer(w.id, nodes);
    }
    partition.groups.forEach((g, i) => addPeer(g.id, [matrix.classCount + i]));
    this.peerIds = [...this.groupOfPeer.keys()].sort(byId);
    for (const g of this.groups) g.peerIds.sort(byId);
  }

  workload(id: string): Workload | undefined {
    return this.workloads.get(id);
  }

  /** Matrix nodes of a peer; undefined for an unknown id (or a hostNetwork workload). */
  nodesOf(peerId: string): readonly number[] | undefined {
    const g = this.groupOfPeer.get(peerId);
    return g === undefined ? undefined : this.groups[g]!.nodes;
  }

  allowed(src: string, dst: string): ConnectionSet {
    const from = this.groupOfPeer.get(src);
    const to = this.groupOfPeer.get(dst);
    return from === undefined || to === undefined ? ConnectionSet.none : this.groupPair(from, to);
  }

  get groupCount(): number {
    return this.groups.length;
  }

  groupPeerIds(group: number): readonly string[] {
    return this.groups[group]!.peerIds;
  }

  groupsContaining(node: number): readonly number[] {
    return this.groupsOfNode[node]!;
  }

  groupPair(from: number, to: number): ConnectionSet {
    let conn = ConnectionSet.none;
    for (const s of this.groups[from]!.nodes) for (const d of this.groups[to]!.nodes) conn = conn.union(this.matrix.pair(s, d));
    return conn;
  }

  /** A group's outgoing connections, by destination peer id. */
  row(group: number): Row[] {
    const byGroup = new Map<number, ConnectionSet>();
    for (const s of this.groups[group]!.nodes) {
      for (const d of this.matrix.candidates(s)) {
        const conn = this.matrix.pair(s, d);
        if (conn.isEmpty()) continue;
        for (const g of this.groupsOfNode[d]!) byGroup.set(g, (byGroup.get(g) ?? ConnectionSet.none).union(conn));
      }
    }
    const rows: Row[] = [];
    for (const [g, allowed] of byGroup) for (const dst of this.groups[g]!.peerIds) rows.push({ dst, allowed });
    return rows.sort((a, b) => byId(a.dst, b.dst));
  }

  /** Every allowed connection, sorted by source then destination; streamed, never all in memory. */
  *connections(): Generator<Connection> {
    let cachedGroup = -1;
    let cachedRows: Row[] = [];
    for (const src of this.peerIds) {
      const g = this.groupOfPeer.get(src)!;
      if (g !== cachedGroup) {
        cachedGroup = g;
        cachedRows = this.row(g);
      }
      for (const { dst, allowed } of cachedRows) if (dst !== src) yield { src, dst, allowed };
    }
  }

  /** Connections from or to one peer, sorted like `connections()`; costs one row and one column. */
  connectionsInvolving(peer: string): Connection[] {
    const g = this.groupOfPeer.get(peer);
    if (g === undefined) return [];
    const out: Connection[] = this.row(g)
      .filter((r) => r.dst !== peer)
      .map((r) => ({ src: peer, dst: r.dst, allowed: r.allowed }));
    for (let from = 0; from < this.groups.length; from++) {
      const allowed = this.groupPair(from, g);
      if (allowed.isEmpty()) continue;
      for (const src of this.groups[from]!.peerIds) if (src !== peer) out.push({ src, dst: peer, allowed });
    }
    return out.sort((a, b) => (a.src !== b.src ? byId(a.src, b.src) : byId(a.dst, b.dst)));
  }

  summary(policies: number): Summary {
    const outsideNodes = this.partition.groups.map((_, i) => this.matrix.classCount + i);
    const v4Nodes = outsideNodes.filter((_, i) => !this.partition.groups[i]!.addresses.intersect(ALL_V4).isEmpty());
    const unprotected: string[] = [];
    const openToWorld: string[] = [];
    const exposedToOutside: string[] = [];
    const hostNetwork: string[] = [];
    for (const w of this.cluster.workloads) {
      const nodes = this.nodesOf(w.id);
      if (!nodes) {
        if (w.hostNetwork) hostNetwork.push(w.id);
        continue;
      }
      if (nodes.some((n) => this.matrix.nodes[n]!.ingress === null)) unprotected.push(w.id);
      const reaches = (o: number) => nodes.some((n) => !this.matrix.pair(o, n).isEmpty());
      if (outsideNodes.some(reaches)) exposedToOutside.push(w.id);
      // Open to 0.0.0.0/0: every outside IPv4 address may connect on some port.
      if (v4Nodes.every(reaches)) openToWorld.push(w.id);
    }
    return { workloads: this.cluster.workloads.length, policies, unprotected, openToWorld, exposedToOutside, hostNetwork };
  }
}
