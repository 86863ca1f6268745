import type { Connection, Reachability } from '../reach/reachability.js';
import { ConnectionSet } from '../sets/connection-set.js';
import { byPair, compareConnections, type ConnectionChange } from './connection-change.js';
import { toMatrixDoc } from '../reach/matrix-doc.js';
import type { MatrixNode } from '../reach/node-rules.js';
import { diffChangedPeers, diffKeyed, type ChangedPeers } from './keyed-diff.js';

/** Merge-join of two sorted connection streams: output-sized, holds one pair of each at a time. */
export function* diffConnections(
  before: Iterable<Connection>,
  after: Iterable<Connection>,
): Generator<ConnectionChange> {
  const left = before[Symbol.iterator]();
  const right = after[Symbol.iterator]();
  let a = left.next();
  let b = right.next();
  while (!a.done || !b.done) {
    const order = a.done ? 1 : b.done ? -1 : byPair(a.value, b.value);
    const src = order <= 0 ? a.value!.src : b.value!.src;
    const dst = order <= 0 ? a.value!.dst : b.value!.dst;
    const was = order <= 0 ? a.value!.allowed : ConnectionSet.none;
    const now = order >= 0 ? b.value!.allowed : ConnectionSet.none;
    const change = compareConnections(src, dst, was, now);
    if (change) yield change;
    if (order <= 0) a = left.next();
    if (order >= 0) b = right.next();
  }
}

/**
 * What changed from `before` to `after`, by peer id, sorted. Only the rows and columns of
 * peers whose rules changed are visited; outside addresses cut differently on the two sides
 * are compared piece by piece (see outside-refinement.ts).
 */
export function diffReachability(before: Reachability, after: Reachability): Iterable<ConnectionChange> {
  if (before.sharesClassesWith(after)) {
    return diffChangedPeers(before.view, after.view, changedSharingClasses(before, after));
  }
  return diffKeyed({ doc: toMatrixDoc(before), view: before.view }, { doc: toMatrixDoc(after), view: after.view });
}

/** Whether admin or baseline rules select the node in a direction (either side of a diff). */
const tierRules = (node: MatrixNode, direction: 'Ingress' | 'Egress') =>
  node.tiers !== undefined && (node.tiers[`admin${direction}`] !== null || node.tiers[`baseline${direction}`] !== null);

/**
 * Over shared pod classes (a policy edit) the node numbering is the same and unchanged rule
 * lists are the very same objects (the profile cache), so a changed node is found by identity.
 * Admin tiers are compiled afresh by every computation: a direction they select on either side
 * is visited.
 */
function changedSharingClasses(before: Reachability, after: Reachability): ChangedPeers {
  const changed: ChangedPeers = { sources: new Set(), destinations: new Set() };
  before.matrix.nodes.forEach((node, n) => {
    const next = after.matrix.nodes[n]!;
    const groups = before.view.groupsContaining(n);
    if (node.egress !== next.egress || tierRules(node, 'Egress') || tierRules(next, 'Egress'))
      for (const g of groups) for (const p of before.view.groupPeerIds(g)) changed.sources.add(p);
    if (node.ingress !== next.ingress || tierRules(node, 'Ingress') || tierRules(next, 'Ingress'))
      for (const g of groups) for (const p of before.view.groupPeerIds(g)) changed.destinations.add(p);
  });
  return changed;
}
