import { ConnectionSet } from '../sets/connection-set.js';
import type { ClassMatrix } from './class-matrix.js';
import type { Connection } from './types.js';

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

  /**
   * @param peers each peer id (workloads first, then outside groups) with its matrix nodes;
   *   workloads off the policy plane (hostNetwork) are not peers.
   */
  constructor(
    readonly matrix: ClassMatrix,
    peers: Iterable<readonly [string, readonly number[]]>,
  ) {
    this.groupsOfNode = matrix.nodes.map(() => []);
    const byNodes = new Map<string, number>();
    for (const [id, nodes] of peers) {
      const key = nodes.join(',');
      let g = byNodes.get(key);
      if (g === undefined) {
        byNodes.set(key, (g = this.groups.length));
        this.groups.push({ nodes: [...nodes], peerIds: [] });
        for (const n of nodes) this.groupsOfNode[n]!.push(g);
      }
      this.groups[g]!.peerIds.push(id);
      this.groupOfPeer.set(id, g);
    }
    this.peerIds = [...this.groupOfPeer.keys()].sort(byId);
    for (const g of this.groups) g.peerIds.sort(byId);
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
    for (const s of this.groups[from]!.nodes)
      for (const d of this.groups[to]!.nodes) conn = conn.union(this.matrix.pair(s, d));
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

  /**
   * How many ordered pairs of distinct counted peers may connect (on some port): what
   * `connections()` would yield among them, counted per group without listing a pair.
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
      // A peer's pair with itself is not a connection.
      if (reached.has(g)) destinations -= 1;
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
      for (const { dst, allowed } of cachedRows) if (dst !== src) yield { src, dst, allowed };
    }
  }

  /** What one peer may open to every other, by destination id (no self pair). */
  outgoing(peer: string): Row[] {
    const g = this.groupOfPeer.get(peer);
    return g === undefined ? [] : this.row(g).filter((r) => r.dst !== peer);
  }

  /** What every other peer may open to one peer, by source id (no self pair): one column. */
  incoming(peer: string): { src: string; allowed: ConnectionSet }[] {
    const g = this.groupOfPeer.get(peer);
    if (g === undefined) return [];
    const column: { src: string; allowed: ConnectionSet }[] = [];
    for (let from = 0; from < this.groups.length; from++) {
      const allowed = this.groupPair(from, g);
      if (allowed.isEmpty()) continue;
      for (const src of this.groups[from]!.peerIds) if (src !== peer) column.push({ src, allowed });
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
        for (const { dst, allowed } of rows) if (dst !== src) columns.get(dst)!.push({ src, allowed });
      }
    }
    for (const column of columns.values()) column.sort((a, b) => byId(a.src, b.src));
    return columns;
  }

  /** Connections from or to one peer, sorted like `connections()`; costs one row and one column. */
  connectionsInvolving(peer: string): Connection[] {
    const out: Connection[] = this.outgoing(peer).map((r) => ({ src: peer, dst: r.dst, allowed: r.allowed }));
    for (const { src, allowed } of this.incoming(peer)) out.push({ src, dst: peer, allowed });
    return out.sort((a, b) => (a.src !== b.src ? byId(a.src, b.src) : byId(a.dst, b.dst)));
  }
}
