import type pg from 'pg';

export interface SnapshotRow {
  id: number;
  takenAt: Date;
  status: string;
  durationMs: number | null;
  counts: Record<string, unknown> | null;
  problems: string[];
  error: string | null;
  /**
   * The last `changed` snapshot at or before this one: an unchanged snapshot stores no versions
   * and reads exactly what that one does, so results are cached under it. Null for failed ones, and in listings (not read there).
   */
  contentId: number | null;
}

interface Row {
  id: number;
  taken_at: Date;
  status: string;
  duration_ms: number | null;
  counts: Record<string, unknown> | null;
  problems: string[] | null;
  error: string | null;
  content_id?: number | null;
}

const COLUMNS = 's.id, s.taken_at, s.status, s.duration_ms, s.counts, s.problems, s.error';

/** The last changed snapshot at or before `s`: a short backward walk of the primary key. */
const WITH_CONTENT = `${COLUMNS},
  CASE WHEN s.status = 'failed' THEN NULL ELSE
    (SELECT c.id FROM snapshot c
      WHERE c.cluster_id = s.cluster_id AND c.status = 'changed' AND c.id <= s.id
      ORDER BY c.id DESC LIMIT 1)
  END AS content_id`;

function toRow(r: Row): SnapshotRow {
  return {
    id: r.id,
    takenAt: r.taken_at,
    status: r.status,
    durationMs: r.duration_ms,
    counts: r.counts,
    problems: r.problems ?? [],
    error: r.error,
    contentId: r.content_id ?? null,
  };
}

/** A cluster's snapshots, read for queries. Failed attempts hold no result and never answer one. */
export class SnapshotReads {
  constructor(private readonly pool: pg.Pool) {}

  private async one(where: string, params: unknown[], order = ''): Promise<SnapshotRow | undefined> {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${WITH_CONTENT} FROM snapshot s WHERE ${where} ${order} LIMIT 1`,
      params,
    );
    return rows[0] && toRow(rows[0]);
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
    const { rows } = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM snapshot s
        WHERE s.cluster_id = $1 AND ($2::int IS NULL OR s.id < $2)
        ORDER BY s.id DESC LIMIT $3`,
      [clusterId, beforeId, limit],
    );
    return rows.map(toRow);
  }
}
