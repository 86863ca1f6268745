import {
  describeAddresses,
  mergeOutsidePeers,
  netChangesWithOutside,
  type StoredReachability,
  summarize,
} from '../../engine/index.js';
import { datedNetChanges } from './net-change-answer.js';
import type { StoredConnectionChange } from '../../store/exposure-events.repository.js';
import { selectedWorkloads } from './policy-selection.js';
import { toPortRanges } from './port-ranges.js';
import type { ExposureAnswer, ReachChange } from './query-service.js';
import type { SnapshotObjects } from '../../store/history/objects.js';
import type { ClusterKey, ReadableSnapshot } from './snapshot-resolver.js';
import { toSnapshotSummary } from './summaries.js';

/** What the outside world can reach at a snapshot, what nothing protects, and policies that select nothing. */
export function exposureAnswer(
  stored: StoredReachability,
  objects: SnapshotObjects,
  cluster: ClusterKey,
  snapshot: ReadableSnapshot,
): ExposureAnswer {
  const { view, outside, doc } = stored;
  const fromOutside = outside.flatMap((group) =>
    view.outgoing(group.id).flatMap((row) => (row.dst.startsWith('ip:') ? [] : [{ src: group.id, ...row }])),
  );
  // Per workload, outside groups allowed alike are one entry per address family.
  const openToOutside: ExposureAnswer['openToOutside'] = mergeOutsidePeers(fromOutside).map((m) => ({
    workload: m.dst,
    from: m.src,
    fromText: describeAddresses(m.src),
    allowed: toPortRanges(m.allowed),
  }));
  openToOutside.sort((a, b) =>
    a.workload !== b.workload ? (a.workload < b.workload ? -1 : 1) : a.from < b.from ? -1 : 1,
  );
  // Stored workloads are those on the policy plane; hostNetwork ones are listed apart.
  const summary = summarize(
    view,
    outside,
    doc.workloads.map(([id]) => ({ id, hostNetwork: false })),
    0,
  );
  return {
    cluster: cluster.name,
    snapshot: toSnapshotSummary(snapshot),
    openToOutside,
    openToWorld: summary.openToWorld,
    unprotected: summary.unprotected,
    policiesSelectingNothing: objects.policies
      .filter((p) => selectedWorkloads(p, objects)?.length === 0)
      .map((p) => p.key),
    hostNetwork: objects.workloads.filter((w) => w.hostNetwork).map((w) => w.id),
  };
}

const isOutside = (id: string) => id.startsWith('ip:');

/** What outside addresses gained or lost to each workload from `then` to `now`, net, dated by the events. */
export function outsideNetChanges(
  then: StoredReachability,
  now: StoredReachability,
  events: readonly StoredConnectionChange[],
  snapshot: ReadableSnapshot,
): ReachChange[] {
  const workloads = new Set([...then.view.peerIds, ...now.view.peerIds].filter((p) => !isOutside(p)));
  const net = [...workloads].flatMap((w) => netChangesWithOutside(then.view, now.view, w, 'in'));
  const fromOutside = events.filter((e) => isOutside(e.src) && !isOutside(e.dst));
  return datedNetChanges(net, fromOutside, snapshot);
}
