import { ConnectionSet } from '../sets/connection-set.js';
import type { MatrixNode } from './node-rules.js';
import type { PeerSet } from './peer-set.js';

/**
 * Reachability between matrix nodes, kept compressed: each node holds its merged rules over
 * shared peer sets, and a pair is evaluated on demand. Nothing nodes×nodes is ever stored.
 *
 * A connection is allowed when the source's egress AND the destination's ingress allow it
 * (networking.k8s.io/v1: a non-isolated direction allows everything).
 */
export class ClassMatrix {
  /** Nodes that let everything in: not isolated for ingress, and outside groups. */
  private readonly openIngress: number[] = [];
  /** Peer id → destinations with an ingress entry naming it. */
  private readonly destinationsByPeer = new Map<number, number[]>();
  /** Node → ids of the peers (used in ingress entries) that contain it. */
  private readonly memberships: number[][];
  private readonly mark: Uint8Array;

  constructor(
    readonly nodes: readonly MatrixNode[],
    readonly classCount: number,
  ) {
    this.memberships = nodes.map(() => []);
    this.mark = new Uint8Array(nodes.length);
    const ingressPeers = new Map<number, PeerSet>();
    for (const n of nodes) {
      if (!n.ingress) {
        this.openIngress.push(n.index);
        continue;
      }
      for (const e of n.ingress) {
        let list = this.destinationsByPeer.get(e.peer.id);
        if (!list) {
          this.destinationsByPeer.set(e.peer.id, (list = []));
          ingressPeers.set(e.peer.id, e.peer);
        }
        list.push(n.index);
      }
    }
    for (const peer of ingressPeers.values()) {
      if (peer.isAll) continue;
      for (const m of peer.members) this.memberships[m]!.push(peer.id);
    }
    this.allPeerIds = [...ingressPeers.values()].filter((p) => p.isAll).map((p) => p.id);
  }

  private readonly allPeerIds: number[];

  get size(): number {
    return this.nodes.length;
  }

  isOutside(node: number): boolean {
    return node >= this.classCount;
  }

  /** What source `s` may open to destination `d`. */
  pair(s: number, d: number): ConnectionSet {
    const src = this.nodes[s]!;
    const dst = this.nodes[d]!;
    if (src.outside && dst.outside) return ConnectionSet.none;
    let ingress = ConnectionSet.all;
    if (dst.ingress) {
      ingress = ConnectionSet.none;
      for (const e of dst.ingress) if (e.peer.has(s)) ingress = ingress.union(e.conn);
      if (ingress.isEmpty()) return ConnectionSet.none;
    }
    if (!src.egress) return ingress;
    let egress = ConnectionSet.none;
    for (const e of src.egress) if (e.peer.has(d)) egress = egress.union(e.ports.resolve(dst.namedPorts));
    return ingress.intersect(egress);
  }

  /**
   * The destinations `s` might reach, ascending: a superset of those with a non-empty pair,
   * found from the rules rather than by trying every node.
   */
  candidates(s: number): number[] {
    const src = this.nodes[s]!;
    const out: number[] = [];
    const add = (d: number) => {
      if (!this.mark[d]) {
        this.mark[d] = 1;
        out.push(d);
      }
    };
    if (src.egress) {
      if (src.egress.some((e) => e.peer.isAll)) return this.everyNode();
      for (const e of src.egress) for (const m of e.peer.members) add(m);
    } else {
      for (const d of this.openIngress) add(d);
      for (const id of this.allPeerIds) for (const d of this.destinationsByPeer.get(id)!) add(d);
      for (const id of this.memberships[s]!) for (const d of this.destinationsByPeer.get(id)!) add(d);
    }
    for (const d of out) this.mark[d] = 0;
    return out.length * 8 > this.nodes.length ? this.inOrder(out) : out.sort((a, b) => a - b);
  }

  private everyNode(): number[] {
    return Array.from({ length: this.nodes.length }, (_, i) => i);
  }

  private inOrder(list: number[]): number[] {
    for (const d of list) this.mark[d] = 1;
    const out: number[] = [];
    for (let d = 0; d < this.nodes.length; d++) {
      if (this.mark[d]) {
        out.push(d);
        this.mark[d] = 0;
      }
    }
    return out;
  }
}
