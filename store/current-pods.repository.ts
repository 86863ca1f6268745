import { copyRows } from './db/copy-rows.js';
import type { PoolClient } from './db/pool.js';

/** One row of `current_pod`: pod names and addresses, kept for the latest snapshot only. */
export interface CurrentPodRow {
  namespace: string;
  name: string;
  workloadId: string;
  ips: string[];
}

/** Rewrites a cluster's pods inside the snapshot's transaction (only when they moved). */
export async function replaceCurrentPods(
  client: PoolClient,
  clusterId: number,
  snapshotId: number,
  pods: readonly CurrentPodRow[],
): Promise<void> {
  await client.query('DELETE FROM current_pod WHERE cluster_id = $1', [clusterId]);
  await copyRows(
    client,
    'current_pod',
    ['cluster_id', 'namespace', 'name', 'workload_id', 'ips', 'snapshot_id'],
    pods.map((p) => [clusterId, p.namespace, p.name, p.workloadId, p.ips, snapshotId]),
  );
}
