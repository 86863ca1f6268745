import type { Pool } from '../../store/db/pool.js';

/**
 * Snapshots of slots in which the simulated cluster did not change, written as one INSERT: the
 * row storeSnapshot writes for a collection equal to the last one (status `unchanged`, the same
 * content hash, problems and counts, no versions, events or pods written), without rebuilding
 * and hashing 18k objects per slot. Nine slots in ten are quiet; through storeSnapshot they took
 * most of a 30-day build. `duration_ms` stays null: no collection was timed.
 */
export async function storeQuietSnapshots(pool: Pool, clusterId: number, takenAt: readonly Date[]): Promise<void> {
  if (takenAt.length === 0) return;
  await pool.query(
    `INSERT INTO snapshot (cluster_id, taken_at, status, content_hash, counts, problems)
     SELECT last.cluster_id, t.taken_at, 'unchanged', last.content_hash,
            last.counts || '{"objectVersions": 0, "reachVersions": 0, "events": 0}'::jsonb, last.problems
       FROM (SELECT * FROM snapshot WHERE cluster_id = $1 AND status <> 'failed' ORDER BY id DESC LIMIT 1) last,
            unnest($2::timestamptz[]) AS t(taken_at)
      ORDER BY t.taken_at`,
    [clusterId, takenAt],
  );
}
