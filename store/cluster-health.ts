import type { Queryable } from './db/pool.js';
import type { ScheduledCluster } from './overdue.js';

/** A registered cluster's snapshot health: its last success, and the failures since. */
export interface ClusterHealth extends ScheduledCluster {
  id: number;
  name: string;
  lastSuccessId: number | null;
  /** The first failed snapshot after the last success, while the latest attempt failed; else null. */
  failingSinceId: number | null;
  failingSince: Date | null;
  lastError: string | null;
  failures: number;
}

/** Every registered (not removed) cluster's health, in one query. */
export async function clusterHealth(db: Queryable): Promise<ClusterHealth[]> {
  const { rows } = await db.query<{
    id: number;
    name: string;
    every_seconds: number;
    paused: boolean;
    created_at: Date;
    ok_id: number | null;
    ok_at: Date | null;
    first_failed_id: number | null;
    first_failed_at: Date | null;
    last_status: string | null;
    last_error: string | null;
    failures: string;
  }>(
    `SELECT c.id, c.name, c.every_seconds, c.paused, c.created_at, ok.id AS ok_id, ok.taken_at AS ok_at,
            f.first_failed_id, f.first_failed_at, f.failures, last.status AS last_status, last.error AS last_error
       FROM cluster c
       LEFT JOIN LATERAL (SELECT s.id, s.taken_at FROM snapshot s
                           WHERE s.cluster_id = c.id AND s.status <> 'failed' ORDER BY s.id DESC LIMIT 1) ok ON true
       LEFT JOIN LATERAL (SELECT s.status, s.error FROM snapshot s
                           WHERE s.cluster_id = c.id ORDER BY s.id DESC LIMIT 1) last ON true
       LEFT JOIN LATERAL (SELECT min(s.id) AS first_failed_id, min(s.taken_at) AS first_failed_at, count(*) AS failures
                            FROM snapshot s
                           WHERE s.cluster_id = c.id AND s.status = 'failed' AND s.id > coalesce(ok.id, 0)) f ON true
      WHERE c.removed_at IS NULL
      ORDER BY c.id`,
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    everySeconds: r.every_seconds,
    paused: r.paused,
    createdAt: r.created_at,
    lastSuccessAt: r.ok_at,
    lastSuccessId: r.ok_id,
    failingSinceId: r.last_status === 'failed' ? r.first_failed_id : null,
    failingSince: r.last_status === 'failed' ? r.first_failed_at : null,
    lastError: r.last_status === 'failed' ? r.last_error : null,
    failures: Number(r.failures),
  }));
}
