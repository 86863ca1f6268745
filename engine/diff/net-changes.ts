import type { WorkloadView } from '../reach/workload-view.js';
import { ALL_V4, ALL_V6, toCidrs, type AddressSet } from '../sets/address-set.js';
import type { ConnectionSet } from '../sets/connection-set.js';
import { outsidePeerAddresses } from '../sets/describe-addresses.js';
import { compareConnections, type ConnectionChange } from './connection-change.js';

/** `in`: the changes of the peer's sources (the peer is dst); `out`: of its destinations. */
export type ChangeDirection = 'in' | 'out';

const isOutside = (id: string) => id.startsWith('ip:');

/**
 * The net change of each counterpart of one peer from `before` to `after`, restricted to
 * `filter` (a Service's ports, a port asked for) when given. Outside addresses are compared
 * address range by address range: the two partitions are intersected (ipBlocks may have re-cut
 * them), each piece compared between the two results, and pieces with the same before and
 * after merged per address family. So each outside address is in at most one change, and
 * before/after are the two results' truth, whatever happened in between.
 */
export function netChanges(
  before: WorkloadView,
  after: WorkloadView,
  peer: string,
  direction: ChangeDirection,
  filter: ConnectionSet | null = null,
): ConnectionChange[] {
  const { allowed, change } = sides(peer, direction, filter);
  const changes: ConnectionChange[] = [];
  // The peer itself included: its pods of different classes may connect (see WorkloadView).
  const workloads = new Set([...before.peerIds, ...after.peerIds].filter((p) => !isOutside(p)));
  for (const w of [...workloads].sort()) {
    const c = change(w, allowed(before, w), allowed(after, w));
    if (c) changes.push(c);
  }
  return [...changes, ...netChangesWithOutside(before, after, peer, direction, filter)];
}

/**
 * netChanges' outside addresses alone: what answers about exposure to the outside ask, without
 * comparing every workload of the cluster first (4,000 at 10k pods, for each peer asked about).
 */
export function netChangesWithOutside(
  before: WorkloadView,
  after: WorkloadView,
  peer: string,
  direction: ChangeDirection,
  filter: ConnectionSet | null = null,
): ConnectionChange[] {
  const { allowed, change } = sides(peer, direction, filter);
  const was = before.peerIds.filter(isOutside).map((id) => ({ id, addresses: outsidePeerAddresses(id)! }));
  const now = after.peerIds.filter(isOutside).map((id) => ({ id, addresses: outsidePeerAddresses(id)! }));
  const merged = new Map<string, { addresses: AddressSet; was: ConnectionSet; now: ConnectionSet }>();
  for (const a of was) {
    const wasAllowed = allowed(before, a.id);
    for (const b of now) {
      const common = a.addresses.intersect(b.addresses);
      if (common.isEmpty()) continue;
      const nowAllowed = allowed(after, b.id);
      if (wasAllowed.equals(nowAllowed)) continue;
      for (const [family, all] of [
        ['4', ALL_V4],
        ['6', ALL_V6],
      ] as const) {
        const piece = common.intersect(all);
        if (piece.isEmpty()) continue;
        const key = `${family}\n${wasAllowed.key()}\n${nowAllowed.key()}`;
        const m = merged.get(key);
        if (m) m.addresses = m.addresses.union(piece);
        else merged.set(key, { addresses: piece, was: wasAllowed, now: nowAllowed });
      }
    }
  }
  return [...merged.values()]
    .map((m) => change(`ip:${toCidrs(m.addresses).join(',')}`, m.was, m.now)!)
    .sort((x, y) => (x.src + x.dst < y.src + y.dst ? -1 : 1));
}

/** What one peer's side of a pair allows, and the change of a pair, in `direction`. */
function sides(peer: string, direction: ChangeDirection, filter: ConnectionSet | null) {
  const allowed = (view: WorkloadView, other: string) => {
    const set = direction === 'in' ? view.allowed(other, peer) : view.allowed(peer, other);
    return filter ? set.intersect(filter) : set;
  };
  const change = (other: string, was: ConnectionSet, now: ConnectionSet) =>
    direction === 'in' ? compareConnections(other, peer, was, now) : compareConnections(peer, other, was, now);
  return { allowed, change };
}
