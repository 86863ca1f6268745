import type { PoolClient, Queryable } from './db/pool.js';

/** One row of `snapshot`: an attempt to read a cluster, failed ones included. */
export interface SnapshotRow {
  id: number;
  clusterId: number;
  takenAt: Date;
  status: 'changed' | 'unchanged' | 'failed';
  durationMs: number | null;
  counts: Record<string, unknown> | null;
  problems: string[];
  error: string | null;
  jobId: string | null;
  /**
   * The last `changed` snapshot at or before this one: an unchanged snapshot stores no versions
   * and reads exactly what that one does, so results are cached under it. Null for failed ones,
   * and in listings (not read there).
   */
  contentId: number | null;
}

/** The columns as Postgres returns them (json_build_object gives `taken_at` as text). */
export interface SnapshotColumns {
  id: number;
  cluster_id: number;
  taken_at: Date | string;
  status: SnapshotRow['status'];
  duration_ms: number | null;
  counts: Record<string, unknown> | null;
  problems: string[] | null;
  error: string | null;
  job_id: string | null;
  content_id?: number | null;
}

export function toSnapshotRow(r: SnapshotColumns): SnapshotRow {
  return {
    id: r.id,
    clusterId: r.cluster_id,
    takenAt: new Date(r.taken_at),
    status: r.status,
    durationMs: r.duration_ms,
    counts: r.counts,
    problems: r.problems ?? [],
    error: r.error,
    jobId: r.job_id,
    contentId: r.content_id ?? null,
  };
}

export const SNAPSHOT_COLUMNS =
  's.id, s.cluster_id, s.taken_at, s.status, s.duration_ms, s.counts, s.problems, s.error, s.job_id';

/** The last changed snapshot at or before `s`: a short backward walk of the primary key. */
const WITH_CONTENT = `${SNAPSHOT_COLUMNS},
  CASE WHEN s.status = 'failed' THEN NULL ELSE
    (SELECT c.id FROM snapshot c
      WHERE c.cluster_id = s.cluster_id AND c.status = 'changed' AND c.id <= s.id
      ORDER BY c.id DESC LIMIT 1)
  END AS content_id`;

/** Serializes writers of one cluster: snapshots are versioned against the one before. */
const WRITER_LOCK_SPACE = 0x7265616c; // "real"

/** A cluster's snapshots. Failed attempts hold no result and never answer a query. */
export class SnapshotsRepository {
  constructor(private readonly db: Queryable) {}

  private async one(where: string, params: unknown[], order = ''): Promise<SnapshotRow | undefined> {
    const { rows } = await this.db.query<SnapshotColumns>(
      `SELECT ${WITH_CONTENT} FROM snapshot s WHERE ${where} ${order} LIMIT 1`,
      params,
    );
    return rows[0] && toSnapshotRow(rows[0]);
  }

  byId(clusterId: number, id: number): Promise<SnapshotRow | undefined> {
    return this.one('s.cluster_id = $1 AND s.id = $2', [clusterId, id]);
  }

  /** The last successful snapshot taken at or before `time`. */
  atOrBefore(clusterId: number, time: Date): Promise<SnapshotRow | undefined> {
    return this.one(
      `s.cluster_id = $1 AND s.status <> 'failed' AND s.taken_at <= $2`,
      [clusterId, time],
      'ORDER BY s.taken_at DESC, s.id DESC',
    );
  }

  latest(clusterId: number): Promise<SnapshotRow | undefined> {
    return this.one(`s.cluster_id = $1 AND s.status <> 'failed'`, [clusterId], 'ORDER BY s.taken_at DESC, s.id DESC');
  }

  /** The first successful snapshot: the baseline history starts from. */
  first(clusterId: number): Promise<SnapshotRow | undefined> {
    return this.one(`s.cluster_id = $1 AND s.status <> 'failed'`, [clusterId], 'ORDER BY s.taken_at, s.id');
  }

  /** Newest first, failed attempts included; `beforeId` continues a page. For listing: no `contentId`. */
  async page(clusterId: number, beforeId: number | null, limit: number): Promise<SnapshotRow[]> {
    const { rows } = await this.db.query<SnapshotColumns>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM snapshot s
        WHERE s.cluster_id = $1 AND ($2::int IS NULL OR s.id < $2)
        ORDER BY s.id DESC LIMIT $3`,
      [clusterId, beforeId, limit],
    );
    return rows.map(toSnapshotRow);
  }

  /** A failed attempt is recorded too: "checked at T, could not read it" is an audit fact. */
  async recordFailure(clusterId: number, error: string, durationMs: number, jobId?: string): Promise<void> {
    await this.db.query(
      `INSERT INTO snapshot (cluster_id, taken_at, status, error, duration_ms, job_id) VALUES ($1, $2, 'failed', $3, $4, $5)`,
      [clusterId, new Date(), error, durationMs, jobId ?? null],
    );
  }
}

/** What the next snapshot is compared with: the last successful one's content and pods. */
export interface StoredState {
  contentHash: string;
  podsHash: string | undefined;
  /** Its exposure figures (see SnapshotCounts), which an unchanged snapshot carries over. */
  exposure: Partial<Record<(typeof EXPOSURE_COUNT_NAMES)[number], number>>;
}

/** The exposure figures' names in `counts`, as worker/snapshot writes them. */
export const EXPOSURE_COUNT_NAMES = [
  'exposedToOutside',
  'openToWorld',
  'ingressUnisolated',
  'egressUnisolated',
  'connections',
] as const;

/**
 * The writes of one snapshot, on the client of its transaction. `lockWriter` first: it holds
 * other writers of the cluster off until COMMIT.
 */
export const snapshotWrites = {
  async lockWriter(client: PoolClient, clusterId: number): Promise<void> {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [WRITER_LOCK_SPACE, clusterId]);
  },

  async lastStored(client: PoolClient, clusterId: number): Promise<StoredState | undefined> {
    const { rows } = await client.query<{
      content_hash: string;
      counts: ({ podsHash?: string } & Record<string, unknown>) | null;
    }>(
      `SELECT content_hash, counts FROM snapshot WHERE cluster_id = $1 AND status <> 'failed' ORDER BY id DESC LIMIT 1`,
      [clusterId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const exposure: StoredState['exposure'] = {};
    for (const name of EXPOSURE_COUNT_NAMES) {
      const value = row.counts?.[name];
      if (typeof value === 'number') exposure[name] = value;
    }
    return { contentHash: row.content_hash, podsHash: row.counts?.podsHash, exposure };
  },

  async insert(
    client: PoolClient,
    row: {
      clusterId: number;
      takenAt: Date;
      status: 'changed' | 'unchanged';
      contentHash: string;
      jobId: string | null;
      problems: string[];
    },
  ): Promise<number> {
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO snapshot (cluster_id, taken_at, status, content_hash, job_id, problems)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [row.clusterId, row.takenAt, row.status, row.contentHash, row.jobId, JSON.stringify(row.problems)],
    );
    return rows[0]!.id;
  },

  async finish(client: PoolClient, snapshotId: number, counts: object, durationMs: number): Promise<void> {
    await client.query('UPDATE snapshot SET counts = $2, duration_ms = $3 WHERE id = $1', [
      snapshotId,
      JSON.stringify(counts),
      durationMs,
    ]);
  },
};
