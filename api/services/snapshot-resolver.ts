import { ServiceError, type TimeRef } from './query-service.js';
import type { SnapshotRow, SnapshotsRepository } from '../../store/snapshots.repository.js';
import { parseTimeRef } from '../../arguments/time-ref.js';

/** The reads resolving a time needs. */
export type SnapshotLookups = Pick<SnapshotsRepository, 'latest' | 'byId' | 'atOrBefore' | 'first'>;

/** A snapshot that holds a result: `contentId` is set. */
export type ReadableSnapshot = SnapshotRow & { contentId: number };

export interface ClusterKey {
  id: number;
  name: string;
}

/**
 * The snapshot a time reference reads from: the last successful one at or before that time
 * (the latest when `ref` is absent). Times in the future or before the first snapshot are
 * refused, so an answer is never silently read from a different time than asked.
 */
export async function resolveSnapshot(
  snapshots: SnapshotLookups,
  cluster: ClusterKey,
  ref: TimeRef | undefined,
  now: Date,
  field = 'at',
): Promise<ReadableSnapshot> {
  if (ref === undefined || ref === null || ref.trim() === '' || ref.trim() === 'now') {
    const latest = await snapshots.latest(cluster.id);
    if (!latest) throw new ServiceError('NOT_FOUND', `cluster ${cluster.name} has no successful snapshot yet`);
    return latest as ReadableSnapshot;
  }
  const parsed = parseTimeRef(ref, now, field);
  if (parsed.kind === 'snapshot') {
    const s = await snapshots.byId(cluster.id, parsed.id);
    if (!s)
      throw new ServiceError('NOT_FOUND', `${field}: snapshot ${parsed.id} does not exist in cluster ${cluster.name}`);
    if (s.contentId === null) {
      throw new ServiceError(
        'BAD_USER_INPUT',
        `${field}: snapshot ${parsed.id} failed (${s.error ?? 'no result'}) and holds no result; choose another`,
      );
    }
    return s as ReadableSnapshot;
  }
  const s = await snapshots.atOrBefore(cluster.id, parsed.at);
  if (s) return s as ReadableSnapshot;
  const first = await snapshots.first(cluster.id);
  if (!first) throw new ServiceError('NOT_FOUND', `cluster ${cluster.name} has no successful snapshot yet`);
  throw new ServiceError(
    'BAD_USER_INPUT',
    `${field} ${JSON.stringify(ref)} (${parsed.at.toISOString()}) is before the first snapshot of cluster ${cluster.name} (taken ${first.takenAt.toISOString()})`,
  );
}
