/**
 * A set of matrix nodes (pod classes, then outside-address groups) that one policy peer
 * selects. Shared by every rule naming the same peer; `id` indexes the registry that made it.
 */
export class PeerSet {
  private readonly bits?: Uint32Array;

  private constructor(
    readonly id: number,
    /** Stable across computations: what the peer selects, not which classes it found. */
    readonly key: string,
    readonly members: Int32Array,
    readonly isAll: boolean,
    nodeCount: number,
  ) {
    // Dense sets answer `has` from a bitmap, sparse ones by binary search.
    if (!isAll && members.length * 32 > nodeCount) {
      this.bits = new Uint32Array((nodeCount >> 5) + 1);
      for (const m of members) this.bits[m >> 5]! |= 1 << (m & 31);
    }
  }

  static readonly ALL_KEY = '*';

  static all(id: number, nodeCount: number): PeerSet {
    return new PeerSet(
      id,
      PeerSet.ALL_KEY,
      Int32Array.from({ length: nodeCount }, (_, i) => i),
      true,
      nodeCount,
    );
  }

  static of(id: number, key: string, sortedMembers: Int32Array, nodeCount: number): PeerSet {
    return new PeerSet(id, key, sortedMembers, false, nodeCount);
  }

  has(node: number): boolean {
    if (this.isAll) return true;
    if (this.bits) return (this.bits[node >> 5]! & (1 << (node & 31))) !== 0;
    const m = this.members;
    let lo = 0;
    let hi = m.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = m[mid]!;
      if (v === node) return true;
      if (v < node) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}
