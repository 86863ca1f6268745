import { describeAddresses, outsidePeerAddresses, type AddressSet, type ConnectionChange } from '../../engine/index.js';
import { toPortRanges } from './port-ranges.js';
import type { ObjectRef, ReachChange } from './query-service.js';
import type { StoredConnectionChange } from '../../store/exposure-events.repository.js';
import type { ReadableSnapshot } from './snapshot-resolver.js';

const isOutside = (id: string) => id.startsWith('ip:');

/** A pair's two ends: the workload, and the other end's id or (outside) addresses. */
interface Ends {
  outsideIsSrc: boolean;
  workload: string;
  other: string;
  addresses: AddressSet | null;
}

function endsOf(src: string, dst: string): Ends {
  const outsideIsSrc = isOutside(src) && !isOutside(dst);
  const outsideIsDst = isOutside(dst) && !isOutside(src);
  const other = outsideIsSrc ? src : dst;
  return {
    outsideIsSrc,
    workload: outsideIsSrc ? dst : src,
    other,
    addresses: outsideIsSrc || outsideIsDst ? outsidePeerAddresses(other)! : null,
  };
}

/** Whether a stored event touched (some addresses of) a net change's pair. */
function touches(event: Ends, change: Ends): boolean {
  if (event.workload !== change.workload || event.outsideIsSrc !== change.outsideIsSrc) return false;
  if (change.addresses === null || event.addresses === null) return event.other === change.other;
  return !event.addresses.intersect(change.addresses).isEmpty();
}

/**
 * Net changes as answers: each dated by the last stored event that touched its pair (for
 * outside addresses, any event on addresses it covers: events are cut the way each step's
 * ipBlocks cut them) and blamed on those events' objects, once each (the latest version wins).
 * A net change no event explains (events were not stored for that step) is dated at `to`
 * with no causes rather than dropped.
 */
export function datedNetChanges(
  changes: readonly ConnectionChange[],
  events: readonly StoredConnectionChange[],
  to: ReadableSnapshot,
): ReachChange[] {
  const eventEnds = events.map((e) => ({ e, ends: endsOf(e.src, e.dst) }));
  return changes.map((c) => {
    const ends = endsOf(c.src, c.dst);
    const steps = eventEnds.filter((x) => touches(x.ends, ends)).map((x) => x.e);
    const last = steps.reduce<StoredConnectionChange | undefined>(
      (latest, e) => (latest && latest.snapshotId >= e.snapshotId ? latest : e),
      undefined,
    );
    const causes = new Map<string, ObjectRef>();
    for (const s of [...steps].sort((a, b) => a.snapshotId - b.snapshotId))
      for (const o of s.causes) causes.set(`${o.kind}\n${o.key}`, o);
    return {
      change: c.change,
      src: c.src,
      dst: c.dst,
      srcText: describeAddresses(c.src),
      dstText: describeAddresses(c.dst),
      before: toPortRanges(c.before),
      after: toPortRanges(c.after),
      snapshotId: last?.snapshotId ?? to.id,
      takenAt: (last?.takenAt ?? to.takenAt).toISOString(),
      causes: [...causes.values()],
    };
  });
}
