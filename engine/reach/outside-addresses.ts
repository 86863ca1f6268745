import { ALL_ADDRESSES, toCidrs, type AddressSet } from '../sets/address-set.js';
import { IntervalSet } from '../sets/interval-set.js';

export interface OutsideGroup {
  /** `ip:` and the group's CIDRs: the peer id users see. */
  id: string;
  addresses: AddressSet;
  /** Indices of the ipBlocks that contain this group. */
  blocks: number[];
}

export interface OutsidePartition {
  groups: OutsideGroup[];
  /** Block index → groups inside it. */
  groupsOfBlock: number[][];
  /** The blocks containing an address (for pod IPs when ipBlocks match pods). */
  blocksContaining(address: bigint): readonly number[];
}

function lowerBound(sorted: readonly bigint[], x: bigint): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * Splits the outside world at every ipBlock cidr/except boundary and merges the pieces that
 * every block treats alike, so each address falls in exactly one group.
 */
export function partitionOutside(blocks: readonly AddressSet[]): OutsidePartition {
  const cuts = new Set<bigint>();
  for (const [lo, hi] of ALL_ADDRESSES.ranges) {
    cuts.add(lo);
    cuts.add(hi + 1n);
  }
  for (const b of blocks) {
    for (const [lo, hi] of b.ranges) {
      cuts.add(lo);
      cuts.add(hi + 1n);
    }
  }
  const starts = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const atomBlocks: number[][] = starts.map(() => []);
  blocks.forEach((b, j) => {
    for (const [lo, hi] of b.ranges) {
      for (let a = lowerBound(starts, lo); a < starts.length - 1 && starts[a]! <= hi; a++) atomBlocks[a]!.push(j);
    }
  });

  const bySignature = new Map<string, { ranges: [bigint, bigint][]; blocks: number[] }>();
  const atomSignature: string[] = [];
  for (let a = 0; a < starts.length - 1; a++) {
    const lo = starts[a]!;
    if (!ALL_ADDRESSES.contains(lo)) continue; // the gap between the two families
    const sig = atomBlocks[a]!.join(',');
    atomSignature[a] = sig;
    let g = bySignature.get(sig);
    if (!g) bySignature.set(sig, (g = { ranges: [], blocks: atomBlocks[a]! }));
    g.ranges.push([lo, starts[a + 1]! - 1n]);
  }

  const groups: OutsideGroup[] = [...bySignature.values()].map((g) => {
    const addresses = IntervalSet.fromRanges(g.ranges);
    return { id: `ip:${toCidrs(addresses).join(',')}`, addresses, blocks: g.blocks };
  });
  groups.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const groupsOfBlock: number[][] = blocks.map(() => []);
  groups.forEach((g, i) => g.blocks.forEach((j) => groupsOfBlock[j]!.push(i)));

  return {
    groups,
    groupsOfBlock,
    blocksContaining: (address) => {
      const a = lowerBound(starts, address);
      return a >= 0 && atomSignature[a] !== undefined ? atomBlocks[a]! : [];
    },
  };
}
