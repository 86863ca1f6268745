import type { SnapshotCounts } from '../../worker/snapshot/store-snapshot.js';
import type { TableSize } from './bench-database.js';

/** One big change, as big-change-one.ts measured it. */
export interface BigChangeResult {
  pods: number;
  first: SnapshotCounts;
  second: SnapshotCounts;
  firstStoreMs: number;
  secondStoreMs: number;
  /** Peak RSS after the first snapshot, and at the end (after the big change). */
  rssAfterFirstBytes: number;
  peakRssBytes: number;
  tables: TableSize[];
}
