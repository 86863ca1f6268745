import type { ClusterRow } from '../../store/clusters.repository.js';
import type { SnapshotRun } from './collect-and-store.js';
import type { SnapshotOutcome } from './store-snapshot.js';

/** What a snapshot thread is started with. */
export interface ThreadStart {
  databaseUrl: string;
}

/** One snapshot to take (structured-cloned: plain data only). */
export interface ThreadRequest {
  cluster: ClusterRow;
  run: SnapshotRun;
}

/** What a snapshot thread tells the worker: progress, then its outcome or its failure. */
export type ThreadMessage =
  | { type: 'progress'; progress: Record<string, unknown> }
  | { type: 'done'; outcome: SnapshotOutcome }
  /** `collect` when the cluster could not be read (CollectFailure), absent when storing failed. */
  | { type: 'failed'; message: string; collect: { permanent: boolean } | undefined };
