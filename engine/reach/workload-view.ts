import { ConnectionSet } from '../sets/connection-set.js';
import type { ClassMatrix } from './class-matrix.js';
import type { Connection } from './types.js';

/** Peers that share the same matrix nodes see and are seen alike: computed once per group. */
interface PeerGroup {
  nodes: readonly number[];
  /** Nodes holding several variants of each peer of the group (see `selfAllowed`). */
  multiVariant: readonly number[];
  peerIds: string[];
  /** Each of `peerIds`' position in the sorted `WorkloadView.peerIds`. */
  ranks: number[];
}

export interface Row {
  dst: string;
  allowed: ConnectionSet;
}

const NONE: readonly number[] = Object.freeze([]);

function byId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The class matrix seen by workload and outside-address peers. A workload whose pods differ
 * spans several classes: it may open a port to another workload when some pod of it may open
 * it to some pod of the other.
 *
 * A workload's connection to itself is what its pods may open to its other pods that differ
 * from them: pods of another class (policies tell them apart), or of another variant in one
 * class (labels other than the volatile ones differ: a StatefulSet's per-pod roles, a rollout's
 * old and new template). Pods of one variant and class reaching each other are not listed:
 * reachlog keeps a workload's variants, not its pod count, so a uniform workload has none.
 */
export class WorkloadView {
  readonly peerIds: string[];
  private readonly groups: PeerGroup[] = [];
  private readonly groupOfPeer = new Map<string, number>();
  private readonly groupsOfNode: number[][];
  /** Position in `peerIds` → the peer's group. */
  private readonly groupOfRank: Int32Array;
  /** Scratch for `row`: group → what the row's source may open to it so far. */
  private readonly reached: (ConnectionSet | undefined)[];
  private readonly selfOfGroup = new Map<number, ConnectionSet>();

  /**
   * @param peers each peer id (workloads first, then outside groups) with its matrix nodes and
   *   those of them holding several of its variants; workloads off the policy plane
   *   (hostNetwork) are not peers.
   */
  constructor(
    readonly matrix: ClassMatrix,
    peers: Iterable<readonly [string, readonly number[], (readonly number[])?]>,
  ) {
    this.groupsOfNode = matrix.nodes.map(() => []);
    // Most peers are one node: those are grouped by the number, without building a key string.
    const byNode = new Map<number, number>();
    const byNodes = new Map<string, number>();
    for (const [id, nodes, multiVariant = NONE] of peers) {
      const key =
        nodes.length === 1 && multiVariant.length === 0 ? nodes[0]! : `${nodes.join(',')}|${multiVariant.join(',')}`;
      let g = typeof key === 'number' ? byNode.get(key) : byNodes.get(key);
      if (g === undefined) {
        g = this.groups.length;
        if (typeof key === 'number') byNode.set(key, g);
        else byNodes.set(key, g);
        // The peers' own lists, not copies: the view only reads them.
        this.groups.push({ nodes, multiVariant, peerIds: [], ranks: [] });
        for (const n of nodes) this.groupsOfNode[n]!.push(g);
      }
      this.groupOfPeer.set(id, g);
    }
    this.peerIds = [...this.groupOfPeer.keys()].sort(byId);
    this.groupOfRank = new Int32Array(this.peerIds.length);
    this.peerIds.forEach((id, rank) => {
      const g = this.groupOfPeer.get(id)!;
      this.groupOfRank[rank] = g;
      this.groups[g]!.peerIds.push(id);
      this.groups[g]!.ranks.push(rank);
    });
    this.reached = new Array<ConnectionSet | undefined>(this.groups.length);
  }

  /** Matrix nodes of a peer; undefined for an unknown id (or a hostNetwork workload). */
  nodesOf(peerId: string): readonly number[] | undefined {
    const g = this.groupOfPeer.get(peerId);
    return g === undefined ? undefined : this.groups[g]!.nodes;
  }

  allowed(src: string, dst: string): ConnectionSet {
    const from = this.groupOfPeer.get(src);
    const to = this.groupOfPeer.get(dst);
    if (from === undefined || to === undefined) return ConnectionSet.none;
    return src === dst ? this.selfAllowed(from) : this.groupPair(from, to);
  }

  /**
   * What a peer of the group may open to itself: between its different classes, and within a
   * class holding several of its variants (see above).
   */
  private selfAllowed(group: number): ConnectionSet {
    let conn = this.selfOfGroup.get(group);
    if (conn === undefined) {
      conn = ConnectionSet.none;
      const { nodes, multiVariant } = this.groups[group]!;
      for (const s of nodes) for (const d of nodes) if (s !== d) conn = conn.union(this.matrix.pair(s, d));
      for (const n of multiVariant) conn = conn.union(this.matrix.pair(n, n));
      this.selfOfGroup.set(group, conn);
    }
    return conn;
  }

  /** Nodes holding several variants of a peer (a workload's pods that differ within one class). */
  multiVariantNodesOf(peerId: string): readonly number[] {
    const g = this.groupOfPeer.get(peerId);
    return g === undefined ? [] : this.groups[g]!.multiVariant;
  }

  /** A row seen from one of its group's peers: its own entry is its connection to itself. */
  private rowOfPeer(peer: string, group: number, rows: Row[]): Row[] {
    const out: Row[] = [];
    for (const r of rows) {
      if (r.dst !== peer) out.push(r);
      else {
        const self = this.selfAllowed(group);
        if (!self.isEmpty()) out.push({ dst: peer, allowed: self });
      }
    }
    return out;
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
    for (const s of this.groups[from]!.nodes)
      for (const d of this.groups[to]!.nodes) conn = conn.union(this.matrix.pair(s, d));
    return conn;
  }

  /**
   * A group's outgoing connections, by destination peer id. The group's own peers are listed
   * with everything the group's classes may open among themselves: a peer's entry for itself
   * is not its connection to itself (see `outgoing`).
   */
  row(group: number): Row[] {
    const reached = this.reached;
    const touched: number[] = [];
    for (const s of this.groups[group]!.nodes) {
      for (const d of this.matrix.candidates(s)) {
        const conn = this.matrix.pair(s, d);
        if (conn.isEmpty()) continue;
        for (const g of this.groupsOfNode[d]!) {
          const had = reached[g];
          if (had === undefined) touched.push(g);
          reached[g] = had === undefined ? conn : had.union(conn);
        }
      }
    }
    const rows: Row[] = [];
    let peers = 0;
    for (const g of touched) peers += this.groups[g]!.ranks.length;
    if (peers * 8 > this.peerIds.length) {
      // Most peers reached: walking every peer in order beats sorting the reached ones.
      for (let rank = 0; rank < this.peerIds.length; rank++) {
        const allowed = reached[this.groupOfRank[rank]!];
        if (allowed) rows.push({ dst: this.peerIds[rank]!, allowed });
      }
    } else {
      const ranks: number[] = [];
      for (const g of touched) for (const rank of this.groups[g]!.ranks) ranks.push(rank);
      ranks.sort((a, b) => a - b);
      for (const rank of ranks) rows.push({ dst: this.peerIds[rank]!, allowed: reached[this.groupOfRank[rank]!]! });
    }
    for (const g of touched) reached[g] = undefined;
    return rows;
  }

  /**
   * How many ordered pairs of counted peers may connect (on some port): what `connections()`
   * would yield among them, counted per group without listing a pair.
   */
  pairCount(counted: (peerId: string) => boolean): number {
    const weights = this.groups.map((g) => g.peerIds.filter(counted).length);
    let pairs = 0;
    for (let g = 0; g < this.groups.length; g++) {
      if (weights[g] === 0) continue;
      const reached = new Set<number>();
      for (const s of this.groups[g]!.nodes) {
        for (const d of this.matrix.candidates(s)) {
          if (this.matrix.pair(s, d).isEmpty()) continue;
          for (const h of this.groupsOfNode[d]!) reached.add(h);
        }
      }
      let destinations = 0;
      for (const h of reached) destinations += weights[h]!;
      // A peer's pair with itself counts only when its pods that differ may connect.
      if (reached.has(g) && this.selfAllowed(g).isEmpty()) destinations -= 1;
      pairs += weights[g]! * destinations;
    }
    return pairs;
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
      for (const { dst, allowed } of cachedRows) {
        if (dst !== src) yield { src, dst, allowed };
        else if (!this.selfAllowed(g).isEmpty()) yield { src, dst, allowed: this.selfAllowed(g) };
      }
    }
  }

  /** What one peer may open to each peer, itself included, by destination id. */
  outgoing(peer: string): Row[] {
    const g = this.groupOfPeer.get(peer);
    return g === undefined ? [] : this.rowOfPeer(peer, g, this.row(g));
  }

  /** What each peer, itself included, may open to one peer, by source id: one column. */
  incoming(peer: string): { src: string; allowed: ConnectionSet }[] {
    const g = this.groupOfPeer.get(peer);
    if (g === undefined) return [];
    const column: { src: string; allowed: ConnectionSet }[] = [];
    for (let from = 0; from < this.groups.length; from++) {
      const allowed = this.groupPair(from, g);
      if (allowed.isEmpty()) continue;
      for (const src of this.groups[from]!.peerIds) {
        const conn = src === peer ? this.selfAllowed(g) : allowed;
        if (!conn.isEmpty()) column.push({ src, allowed: conn });
      }
    }
    return column.sort((a, b) => byId(a.src, b.src));
  }

  /**
   * `incoming` of many peers at once, by peer (unknown ids left out): one pass over every
   * group's row, what listing every connection costs, instead of a pass over every group per
   * peer (at 10k pods, the columns of all 4,000 workloads: 16M group pairs).
   */
  incomingOfMany(peers: readonly string[]): Map<string, { src: string; allowed: ConnectionSet }[]> {
    const columns = new Map<string, { src: string; allowed: ConnectionSet }[]>();
    for (const p of peers) if (this.groupOfPeer.has(p)) columns.set(p, []);
    for (let g = 0; g < this.groups.length; g++) {
      const rows = this.row(g).filter((r) => columns.has(r.dst));
      for (const src of this.groups[g]!.peerIds) {
        for (const { dst, allowed } of rows) {
          if (dst !== src) columns.get(dst)!.push({ src, allowed });
          else if (!this.selfAllowed(g).isEmpty()) columns.get(dst)!.push({ src, allowed: this.selfAllowed(g) });
        }
      }
    }
    for (const column of columns.values()) column.sort((a, b) => byId(a.src, b.src));
    return columns;
  }

  /** Connections from or to one peer, sorted like `connections()`; costs one row and one column. */
  connectionsInvolving(peer: string): Connection[] {
    const out: Connection[] = this.outgoing(peer).map((r) => ({ src: peer, dst: r.dst, allowed: r.allowed }));
    // The connection to itself is in the row already.
    for (const { src, allowed } of this.incoming(peer)) if (src !== peer) out.push({ src, dst: peer, allowed });
    return out.sort((a, b) => (a.src !== b.src ? byId(a.src, b.src) : byId(a.dst, b.dst)));
  }
}
