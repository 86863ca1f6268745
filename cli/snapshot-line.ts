import type { SnapshotSummary } from '../api/services/query-service.js';

/**
 * One snapshot as `cluster show` lists it and `snapshot --wait` prints it: the stored row
 * (`#12  2026-12-02T08:10:00.000Z  changed  840 ms  {counts}`), the same id and time the API
 * answers with, so what the user sees after a snapshot can be found again.
 */
export function snapshotLine(snap: SnapshotSummary): string {
  const what = snap.error ?? JSON.stringify(snap.counts ?? {});
  return `#${snap.id}\t${snap.takenAt}\t${snap.status}\t${snap.durationMs ?? '-'} ms\t${what}`;
}
