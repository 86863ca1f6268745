import type { Reachability } from '../reach/reachability.js';
import type { Row } from '../reach/workload-view.js';
import { ConnectionSet } from '../sets/connection-set.js';
import { byPair, compareConnections, type ConnectionChange } from './connection-change.js';

/**
 * Diff of two computations over the same pod classes and outside groups (so the same peer
 * groups): a pair can only change if its source's egress rules or its destination's ingress
 * rules changed, and unchanged rule lists are the very same objects (shared profile cache).
 */
export function diffSharedClasses(before: Reachability, after: Reachability): ConnectionChange[] {
  const was = before.view;
  const now = after.view;
  const srcGroups = new Set<number>();
  const dstGroups = new Set<number>();
  before.matrix.nodes.forEach((node, n) => {
    const next = after.matrix.nodes[n]!;
    if (node.egress !== next.egress) for (const g of was.groupsContaining(n)) srcGroups.add(g);
    if (node.ingress !== next.ingress) for (const g of was.groupsContaining(n)) dstGroups.add(g);
  });

  const changes: ConnectionChange[] = [];
  const record = (src: string, dst: string, a: ConnectionSet, b: ConnectionSet) => {
    if (src === dst) return;
    const change = compareConnections(src, dst, a, b);
    if (change) changes.push(change);
  };

  for (const g of srcGroups) {
    const rowsBefore = new Map<string, ConnectionSet>(was.row(g).map((r: Row) => [r.dst, r.allowed]));
    const rowsAfter = new Map<string, ConnectionSet>(now.row(g).map((r: Row) => [r.dst, r.allowed]));
    for (const src of was.groupPeerIds(g)) {
      for (const [dst, a] of rowsBefore) record(src, dst, a, rowsAfter.get(dst) ?? ConnectionSet.none);
      for (const [dst, b] of rowsAfter) if (!rowsBefore.has(dst)) record(src, dst, ConnectionSet.none, b);
    }
  }
  for (const g2 of dstGroups) {
    for (let g1 = 0; g1 < was.groupCount; g1++) {
      if (srcGroups.has(g1)) continue;
      const a = was.groupPair(g1, g2);
      const b = now.groupPair(g1, g2);
      if (a.equals(b)) continue;
      for (const src of was.groupPeerIds(g1)) for (const dst of was.groupPeerIds(g2)) record(src, dst, a, b);
    }
  }
  return changes.sort(byPair);
}
