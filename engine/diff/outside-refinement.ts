import type { WorkloadView } from '../reach/workload-view.js';
import { parseCidr, toCidrs, type AddressSet } from '../sets/address-set.js';
import { IntervalSet } from '../sets/interval-set.js';
import { compareConnections, type ConnectionChange } from './connection-change.js';

const isOutside = (peer: string) => peer.startsWith('ip:');

function addressesOf(id: string): AddressSet {
  return id
    .slice('ip:'.length)
    .split(',')
    .reduce((set, cidr) => set.union(parseCidr(cidr).range), IntervalSet.empty<bigint>());
}

/**
 * Outside-address groups are cut by every ipBlock, so one new ipBlock anywhere renames them
 * all. Comparing them by id would report every workload's outside connections as removed and
 * added again; instead both partitions are intersected and each piece compared on its own,
 * so only addresses whose treatment changed show up. Streamed, a workload at a time.
 */
export function* outsideChanges(before: WorkloadView, after: WorkloadView): Generator<ConnectionChange> {
  const was = before.peerIds.filter(isOutside);
  const now = after.peerIds.filter(isOutside);
  const pieces: { id: string; was: string; now: string }[] = [];
  for (const a of was) {
    const addresses = addressesOf(a);
    for (const b of now) {
      const common = addresses.intersect(addressesOf(b));
      if (!common.isEmpty()) pieces.push({ id: a === b ? a : `ip:${toCidrs(common).join(',')}`, was: a, now: b });
    }
  }
  const workloads = [...new Set([...before.peerIds, ...after.peerIds])].filter((p) => !isOutside(p));
  for (const w of workloads) {
    for (const piece of pieces) {
      const out = compareConnections(w, piece.id, before.allowed(w, piece.was), after.allowed(w, piece.now));
      if (out) yield out;
      const into = compareConnections(piece.id, w, before.allowed(piece.was, w), after.allowed(piece.now, w));
      if (into) yield into;
    }
  }
}

/** Whether both views cut the outside world the same way (then ids can be compared directly). */
export function sameOutside(before: WorkloadView, after: WorkloadView): boolean {
  const was = before.peerIds.filter(isOutside);
  const now = new Set(after.peerIds.filter(isOutside));
  return was.length === now.size && was.every((p) => now.has(p));
}

export { isOutside };
