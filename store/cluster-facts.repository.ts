import type { Queryable } from './db/pool.js';
import { EXPOSURE_COUNT_NAMES } from './snapshots.repository.js';

/**
 * What metrics report per registered cluster, read from Postgres in one query so that every API
 * and worker replica reports the same and nothing is lost at a restart. Counts are those of the
 * last successful snapshot; figures it does not state (stored before they existed) are absent.
 */
export interface ClusterFacts {
  name: string;
  everySeconds: number;
  paused: boolean;
  createdAt: Date;
  lastSuccessAt: Date | null;
  lastSuccessDurationMs: number | null;
  lastAttemptAt: Date | null;
  /** Failed attempts ever recorded (a counter: it only grows, unless the cluster is purged). */
  failures: number;
  /** Failed attempts since the last success: 0 while the cluster is read fine. */
  failuresSinceSuccess: number;
  /** Numbers from the last successful snapshot's counts (namespaces, workloads, …, exposure figures). */
  counts: Partial<Record<CountName, number>>;
}

/** The numeric counts a snapshot row keeps that metrics report. */
export const COUNT_NAMES = [
  'namespaces',
  'workloads',
  'pods',
  'services',
  'policies',
  'invalid',
  ...EXPOSURE_COUNT_NAMES,
] as const;
export type CountName = (typeof COUNT_NAMES)[number];

interface FactColumns {
  name: string;
  every_seconds: number;
  paused: boolean;
  created_at: Date;
  last_success_at: Date | null;
  last_success_duration_ms: number | null;
  counts: Record<string, unknown> | null;
  last_attempt_at: Date | null;
  failures: number;
  failures_since_success: number;
}

// Each lateral subquery is a short walk of the (cluster_id, taken_at) or (cluster_id, status, id)
// index: the cost grows with the number of clusters, not with their history.
const FACTS = `
SELECT c.name, c.every_seconds, c.paused, c.created_at,
       ok.taken_at AS last_success_at, ok.duration_ms AS last_success_duration_ms, ok.counts,
       last.taken_at AS last_attempt_at,
       (SELECT count(*) FROM snapshot f WHERE f.cluster_id = c.id AND f.status = 'failed')::int AS failures,
       (SELECT count(*) FROM snapshot f
         WHERE f.cluster_id = c.id AND f.status = 'failed' AND f.id > coalesce(ok.id, 0))::int AS failures_since_success
  FROM cluster c
  LEFT JOIN LATERAL (SELECT s.id, s.taken_at, s.duration_ms, s.counts FROM snapshot s
                      WHERE s.cluster_id = c.id AND s.status <> 'failed'
                      ORDER BY s.taken_at DESC, s.id DESC LIMIT 1) ok ON true
  LEFT JOIN LATERAL (SELECT s.taken_at FROM snapshot s WHERE s.cluster_id = c.id
                      ORDER BY s.taken_at DESC, s.id DESC LIMIT 1) last ON true
 WHERE c.removed_at IS NULL
 ORDER BY c.name`;

export class ClusterFactsRepository {
  constructor(private readonly db: Queryable) {}

  async all(): Promise<ClusterFacts[]> {
    const { rows } = await this.db.query<FactColumns>(FACTS);
    return rows.map((r) => {
      const counts: ClusterFacts['counts'] = {};
      for (const name of COUNT_NAMES) {
        const value = r.counts?.[name];
        if (typeof value === 'number') counts[name] = value;
      }
      return {
        name: r.name,
        everySeconds: r.every_seconds,
        paused: r.paused,
        createdAt: r.created_at,
        lastSuccessAt: r.last_success_at,
        lastSuccessDurationMs: r.last_success_duration_ms,
        lastAttemptAt: r.last_attempt_at,
        failures: r.failures,
        failuresSinceSuccess: r.failures_since_success,
        counts,
      };
    });
  }
}
